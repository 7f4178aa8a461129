package dev.berth.runtime;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which log entries to read, as {@code docker logs} selects them: the streams, the last {@code tail} entries (-1 for all;
 * counted among the selected streams, before the time filters apply, like Docker), and entries at or after {@code since}
 * and at or before {@code until}.
 */
public record LogQuery(Set<LogStream> streams, int tail, Optional<Instant> since, Optional<Instant> until) {
    public static final LogQuery ALL = new LogQuery(EnumSet.allOf(LogStream.class), -1, Optional.empty(), Optional.empty());

    public LogQuery {
        streams = Set.copyOf(streams);
    }

    boolean selects(LogEntry entry) {
        return streams.contains(entry.stream());
    }

    boolean inTime(LogEntry entry) {
        return since.map(s -> !entry.time().isBefore(s)).orElse(true);
    }

    boolean pastUntil(LogEntry entry) {
        return until.map(u -> entry.time().isAfter(u)).orElse(false);
    }
}
