package dev.berth.engine.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-container coordination.
 *
 * <p>Lock order: {@link #op} first (held by start, the exit handler, remove and restart for their whole run; never
 * while waiting for an exit), then the monitor's own intrinsic lock (short sections that change {@link #exits},
 * {@link #removed} or {@link #pending} and wake waiters).
 */
final class Monitor {
    final ReentrantLock op = new ReentrantLock();
    /** Counts the exits seen since the daemon started: waiters for the next exit wait for it to grow. */
    long exits;
    boolean removed;
    /** Attach sessions opened before start; start connects them between create and start so no output is lost. */
    final List<PendingAttach> pending = new ArrayList<>();
    /** The restart policy's delays; lives as long as the daemon, as Docker's restart manager does. */
    final Backoff backoff = new Backoff();
    /** The restart the policy scheduled while the container is RESTARTING (guarded by {@link #op}). */
    java.util.concurrent.Future<?> pendingRestart;
    /** The running container's health probes, if it has a check (guarded by {@link #op}). */
    HealthMonitor health;

    synchronized void exited() {
        exits++;
        notifyAll();
    }

    synchronized void markRemoved() {
        removed = true;
        notifyAll();
    }

    /** Waits until {@code exits} exceeds {@code seen} or the container is removed. */
    synchronized void awaitExitAfter(long seen) throws InterruptedException {
        while (exits <= seen && !removed) {
            wait();
        }
    }

    synchronized boolean awaitExitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (exits <= seen && !removed) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    synchronized void awaitRemoved() throws InterruptedException {
        while (!removed) {
            wait();
        }
    }
}
