package dev.berth.engine.containers;

import dev.berth.engine.EngineException;
import java.time.Duration;
import java.util.List;

/**
 * How to test that a container works (Docker's {@code HealthConfig}): durations in nanoseconds, 0 meaning "the
 * default" (or "inherit from the image" while merging).
 *
 * @param test {@code ["CMD", argv...]}, {@code ["CMD-SHELL", "command"]}, {@code ["NONE"]} (disabled), or empty
 *             (inherit)
 */
public record Healthcheck(List<String> test, long interval, long timeout, long startPeriod, long startInterval,
        int retries) {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
    static final int DEFAULT_RETRIES = 3;
    /** Docker's containertypes.MinimumDuration. */
    private static final long MINIMUM_NANOS = 1_000_000;

    public Healthcheck {
        test = test == null ? List.of() : List.copyOf(test);
    }

    /** Docker's Merge: the container's fields win, the image's fill what the container leaves unset. */
    static Healthcheck merge(Healthcheck container, Healthcheck image) {
        if (container == null || image == null) {
            return container != null ? container : image;
        }
        return new Healthcheck(container.test.isEmpty() ? image.test : container.test,
                container.interval == 0 ? image.interval : container.interval,
                container.timeout == 0 ? image.timeout : container.timeout,
                container.startPeriod == 0 ? image.startPeriod : container.startPeriod,
                container.startInterval == 0 ? image.startInterval : container.startInterval,
                container.retries == 0 ? image.retries : container.retries);
    }

    /** Docker's checks at create (daemon/container.go), with its messages. */
    void validate() {
        checkDuration("Interval", interval);
        checkDuration("Timeout", timeout);
        if (retries < 0) {
            throw new EngineException.InvalidArgument("Retries in Healthcheck cannot be negative");
        }
        checkDuration("StartPeriod", startPeriod);
        checkDuration("StartInterval", startInterval);
    }

    private static void checkDuration(String field, long nanos) {
        if (nanos != 0 && nanos < MINIMUM_NANOS) {
            throw new EngineException.InvalidArgument(field + " in Healthcheck cannot be less than 1ms");
        }
    }

    /** The command a probe runs, or null when there is no check (none configured, or NONE). */
    List<String> probeCommand() {
        if (test.isEmpty()) {
            return null;
        }
        return switch (test.getFirst()) {
            case "CMD" -> test.size() > 1 ? test.subList(1, test.size()) : null;
            case "CMD-SHELL" -> test.size() > 1 ? List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size()))) : null;
            default -> null; // "NONE", or a form Docker does not know either
        };
    }

    Duration intervalOrDefault() {
        return interval > 0 ? Duration.ofNanos(interval) : DEFAULT_INTERVAL;
    }

    Duration timeoutOrDefault() {
        return timeout > 0 ? Duration.ofNanos(timeout) : DEFAULT_TIMEOUT;
    }

    Duration startIntervalOrDefault() {
        return startInterval > 0 ? Duration.ofNanos(startInterval) : DEFAULT_START_INTERVAL;
    }

    Duration startPeriodOrDefault() {
        return Duration.ofNanos(Math.max(0, startPeriod));
    }

    int retriesOrDefault() {
        return retries > 0 ? retries : DEFAULT_RETRIES;
    }
}
