package dev.berth.runtime;

import java.time.Instant;

/** How a container's main process ended, as conmon recorded it: the exit code (128 + signal when killed) and when. */
public record ExitStatus(int exitCode, Instant finishedAt) {}
