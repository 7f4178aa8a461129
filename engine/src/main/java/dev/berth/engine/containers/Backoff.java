package dev.berth.engine.containers;

import java.time.Duration;

/**
 * The delay before a restart policy starts a container again, as Docker's restartmanager computes it: 100 ms, doubled
 * after each restart up to one minute, and back to 100 ms once the container had run for 10 seconds.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofMinutes(1);
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private Duration current = Duration.ZERO;

    /** The delay before the next start of a container that ran for {@code ran}. */
    synchronized Duration next(Duration ran) {
        if (ran.compareTo(RESET_AFTER) >= 0) {
            current = Duration.ZERO;
        }
        current = current.isZero() ? FIRST : current.multipliedBy(2);
        if (current.compareTo(MAX) > 0) {
            current = MAX;
        }
        return current;
    }
}
