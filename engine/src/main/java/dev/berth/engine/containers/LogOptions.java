package dev.berth.engine.containers;

import java.time.Instant;

/**
 * Which log lines to send.
 *
 * @param tail -1 for all, else the last N lines
 * @param since null or the earliest time; {@code until} likewise the latest
 */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, int tail, Instant since, Instant until,
        boolean timestamps) {}
