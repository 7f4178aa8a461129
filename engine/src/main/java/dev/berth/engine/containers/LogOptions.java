package dev.berth.engine.containers;

import java.time.Instant;

/**
 * Which log lines to send.
 *
 * @param tail -1 for all, else the last N lines
 * @param since null or the earliest time; {@code until} likewise the latest
 * @param details prefix each line with the extra attributes the log options ask for ({@code logs --details})
 */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, int tail, Instant since, Instant until,
        boolean timestamps, boolean details) {
    public LogOptions(boolean stdout, boolean stderr, boolean follow, int tail, Instant since, Instant until,
            boolean timestamps) {
        this(stdout, stderr, follow, tail, since, until, timestamps, false);
    }
}
