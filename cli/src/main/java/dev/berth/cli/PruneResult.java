package dev.berth.cli;

/** What one prune printed (empty when it removed nothing) and the bytes it gave back; {@code system prune} adds them up. */
public record PruneResult(String output, long spaceReclaimed) {}
