package dev.berth.runtime;

import java.time.Instant;

/**
 * One log message: a complete line (ending in '\n') joined from conmon's partial records, or, for output that ended
 * without a newline, the text as it was.
 */
public record LogEntry(Instant time, LogStream stream, byte[] content) {}
