package dev.berth.engine.containers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's health as its probes found it ({@code State.Health} of inspect), and the rules that move it
 * (daemon/health.go handleProbeResult): a success makes it healthy and resets the failing streak; a failure counts in
 * the streak unless the container is still starting within its start period; {@code retries} failures in a row make
 * it unhealthy. The last {@link #MAX_LOG} results are kept.
 *
 * @param status "starting", "healthy" or "unhealthy"
 */
public record Health(String status, int failingStreak, List<Result> log) {
    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";
    static final int MAX_LOG = 5;
    /** Docker keeps this much of a probe's output. */
    static final int MAX_OUTPUT = 4096;

    /** One probe's outcome; exit code -1 when it could not run or timed out. */
    public record Result(Instant start, Instant end, int exitCode, String output) {}

    public Health {
        log = List.copyOf(log);
    }

    static Health starting() {
        return new Health(STARTING, 0, List.of());
    }

    /** The health after {@code r}, for a container started at {@code startedAt}. */
    Health after(Result r, Instant startedAt, Duration startPeriod, int retries) {
        List<Result> newLog = new ArrayList<>(log);
        newLog.add(r);
        while (newLog.size() > MAX_LOG) {
            newLog.removeFirst();
        }
        if (r.exitCode() == 0) {
            return new Health(HEALTHY, 0, newLog);
        }
        boolean inStartPeriod = status.equals(STARTING) && Duration.between(startedAt, r.start()).compareTo(startPeriod) < 0;
        if (inStartPeriod) {
            return new Health(status, failingStreak, newLog);
        }
        int streak = failingStreak + 1;
        return new Health(streak >= retries ? UNHEALTHY : status, streak, newLog);
    }
}
