package dev.berth.engine.containers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * Where a container's process is. {@code startedAt}/{@code finishedAt} are null for "never".
 *
 * <p>Transitions: CREATED → RUNNING (start) ⇄ PAUSED (pause, unpause) → EXITED (the process ended: exit code and
 * finish time recorded) → RUNNING (start again, same filesystem). When a restart policy applies, the process's end
 * leads to RESTARTING instead (no process; exit code and finish time recorded) until the back-off delay has passed and
 * it is RUNNING again, or the user stops it (EXITED). Removal deletes the record.
 */
public record RunState(Status status, int pid, int exitCode, String error, Instant startedAt, Instant finishedAt,
        boolean oomKilled) {
    public static RunState created() {
        return new RunState(Status.CREATED, 0, 0, "", null, null, false);
    }

    public RunState running(int pid, Instant now) {
        return new RunState(Status.RUNNING, pid, 0, "", now, finishedAt, false);
    }

    public RunState exited(int code, Instant when) {
        return new RunState(Status.EXITED, 0, code, error, startedAt, when, oomKilled);
    }

    public RunState restarting(int code, Instant when) {
        return new RunState(Status.RESTARTING, 0, code, "", startedAt, when, false);
    }

    /** A restarting container the user stopped: it keeps the exit code of its last run. */
    public RunState stoppedWhileRestarting() {
        return new RunState(Status.EXITED, 0, exitCode, error, startedAt, finishedAt, oomKilled);
    }

    public RunState failed(int code, String message, Instant when) {
        return new RunState(Status.EXITED, 0, code, message, startedAt, when, false);
    }

    /** Frozen by pause: still running as far as stop, kill and exec-on-start are concerned. */
    public RunState paused() {
        return new RunState(Status.PAUSED, pid, exitCode, error, startedAt, finishedAt, oomKilled);
    }

    public RunState unpaused() {
        return new RunState(Status.RUNNING, pid, exitCode, error, startedAt, finishedAt, oomKilled);
    }

    @JsonIgnore
    public boolean isRunning() {
        return status == Status.RUNNING || status == Status.PAUSED || status == Status.RESTARTING;
    }
}
