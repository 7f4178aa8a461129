package dev.berth.engine.containers;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Probes one running container's health (daemon/health.go monitor): waits an interval, runs the probe, records the
 * result, waits again. Waiting costs no thread: the next probe is a task on the engine's shared timer, and the probe
 * itself runs on a virtual thread. {@link #stop} (the container exited or was removed) cancels what is pending and
 * makes a probe in flight discard its result.
 *
 * <p>The interval is the check's {@code StartInterval} while the container is starting within its start period, its
 * {@code Interval} otherwise.
 */
final class HealthMonitor {
    /** Runs a probe command in the container. */
    @FunctionalInterface
    interface Prober {
        Lifecycle.ProbeResult probe(List<String> argv, Duration timeout, int maxOutput) throws IOException;
    }

    private final Healthcheck check;
    private final List<String> command;
    private final Instant startedAt;
    private final ScheduledExecutorService timers;
    private final Prober prober;
    private final Clock clock;
    private final Consumer<Health> statusChanged;
    private Health health = Health.starting();
    private boolean stopped;
    private ScheduledFuture<?> next;

    /** {@code statusChanged} receives the new health when its status changes, on the probe's thread. */
    HealthMonitor(Healthcheck check, Instant startedAt, ScheduledExecutorService timers, Prober prober, Clock clock,
            Consumer<Health> statusChanged) {
        this.check = check;
        this.command = check.probeCommand();
        this.startedAt = startedAt;
        this.timers = timers;
        this.prober = prober;
        this.clock = clock;
        this.statusChanged = statusChanged;
    }

    /** Whether a check configures a probe at all ({@code NONE} and an empty test do not). */
    static boolean probes(Healthcheck check) {
        return check != null && check.probeCommand() != null;
    }

    void start() {
        scheduleNext();
    }

    synchronized Health health() {
        return health;
    }

    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    private synchronized void scheduleNext() {
        if (stopped) {
            return;
        }
        next = timers.schedule(() -> Thread.ofVirtual().name("health-probe").start(this::probeOnce),
                interval().toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized Duration interval() {
        boolean inStartPeriod = Duration.between(startedAt, clock.instant()).compareTo(check.startPeriodOrDefault()) < 0;
        return inStartPeriod && health.status().equals(Health.STARTING)
                ? check.startIntervalOrDefault() : check.intervalOrDefault();
    }

    private void probeOnce() {
        Instant start = clock.instant();
        Duration timeout = check.timeoutOrDefault();
        Health.Result result;
        try {
            Lifecycle.ProbeResult r = prober.probe(command, timeout, Health.MAX_OUTPUT);
            result = r.timedOut()
                    ? new Health.Result(start, clock.instant(), -1, "Health check exceeded timeout (" + goString(timeout) + ")")
                    : new Health.Result(start, clock.instant(), r.exitCode(), r.output());
        } catch (IOException | RuntimeException e) {
            result = new Health.Result(start, clock.instant(), -1, String.valueOf(e.getMessage()));
        }
        Health changed = null;
        synchronized (this) {
            if (stopped) {
                return;
            }
            Health before = health;
            health = before.after(result, startedAt, check.startPeriodOrDefault(), check.retriesOrDefault());
            if (!health.status().equals(before.status())) {
                changed = health;
            }
        }
        if (changed != null) {
            statusChanged.accept(changed);
        }
        scheduleNext();
    }

    /** Go's Duration.String for the usual probe timeouts: "30s", "500ms", "1m30s", "1.5s". */
    static String goString(Duration d) {
        long nanos = d.toNanos();
        if (nanos < 1_000_000_000L) {
            return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : trim(nanos / 1e6) + "ms";
        }
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        double seconds = d.toSecondsPart() + d.toNanosPart() / 1e9;
        String s = trim(seconds) + "s";
        if (hours > 0) {
            return hours + "h" + minutes + "m" + s;
        }
        return minutes > 0 ? minutes + "m" + s : s;
    }

    private static String trim(double v) {
        String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s;
    }
}
