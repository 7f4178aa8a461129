package dev.berth.engine.containers;

import dev.berth.engine.EngineException;
import java.time.Instant;

/**
 * One exec instance: created by {@code POST /containers/{id}/exec}, started once, then running until its process exits.
 * Kept in memory only, as Docker keeps them: a daemon restart forgets them.
 *
 * <p>States: created → running (the process runs; {@link #pid()} is set) → exited ({@link #exitCode()} is set). A start
 * that fails goes from created to exited with Docker's code (126 cannot invoke, 127 not found). Thread-safe.
 */
public final class ExecSession {
    private final String id;
    private final String containerId;
    private final ExecConfig config;
    private boolean started;
    private boolean running;
    private int pid;
    private Integer exitCode;
    private Instant exitedAt;
    private Lifecycle.RunningExec process;

    ExecSession(String id, String containerId, ExecConfig config) {
        this.id = id;
        this.containerId = containerId;
        this.config = config;
    }

    public String id() {
        return id;
    }

    public String containerId() {
        return containerId;
    }

    public ExecConfig config() {
        return config;
    }

    public synchronized boolean running() {
        return running;
    }

    public synchronized int pid() {
        return pid;
    }

    /** Null until the process has exited (or failed to start). */
    public synchronized Integer exitCode() {
        return exitCode;
    }

    synchronized Instant exitedAt() {
        return exitedAt;
    }

    /** Claims the one start an exec allows; Docker's 409s for a second one. */
    synchronized void claimStart() {
        if (running) {
            throw new EngineException.Conflict("Error: Exec command " + id + " is already running");
        }
        if (started) {
            throw new EngineException.Conflict("Error: Exec command " + id + " has already run");
        }
        started = true;
    }

    synchronized void ran(Lifecycle.RunningExec p) {
        process = p;
        pid = p.pid();
        running = true;
    }

    synchronized void exited(int code, Instant when) {
        running = false;
        pid = 0;
        exitCode = code;
        exitedAt = when;
        process = null;
        notifyAll();
    }

    synchronized void awaitExit() throws InterruptedException {
        while (exitCode == null) {
            wait();
        }
    }

    synchronized Lifecycle.RunningExec process() {
        return process;
    }
}
