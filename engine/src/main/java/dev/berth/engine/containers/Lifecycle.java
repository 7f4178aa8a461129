package dev.berth.engine.containers;

import dev.berth.linux.IdMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What {@link ContainerService} needs from the machinery below it (filesystem snapshots, conmon and the OCI runtime).
 * The service decides when; a lifecycle does. Implementations need not lock: the service calls {@link #prepare},
 * {@link #start}, {@link #stopped} and {@link #discard} for one container one at a time.
 */
public interface Lifecycle extends AutoCloseable {
    /** How a container's process ended, as conmon recorded it. */
    record Exit(int code, Instant when) {}

    /** The process could not be started; {@code exitCode} is Docker's: 127 not found, 126 not executable, else 128. */
    final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        public StartFailure(String message, int exitCode, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** Makes the container's filesystem snapshot under {@code dir}. */
    void prepare(Container c, Path dir) throws IOException;

    /**
     * Mounts the filesystem, writes the bundle, creates the process through conmon, connects {@code attaches} to it,
     * then lets it run. Returns the process's pid. On failure nothing is left running or mounted.
     */
    int start(Container c, Path dir, List<PendingAttach> attaches) throws StartFailure;

    /** The daemon found the container still running when it started: watch it again (its log's rotation). */
    void resumed(Container c, Path dir);

    /** Cleans up after the process ended: runtime state deleted, filesystem unmounted. */
    void stopped(Container c, Path dir);

    /** Removes everything the container had on disk and in the runtime; safe to call on partial state. */
    void discard(String id, Path dir);

    void kill(String id, int signal);

    /** The recorded exit of a container's process, or null while it runs (or never ran under this conmon). */
    Exit exitOf(String id);

    /** Whether the container's conmon is still alive. */
    boolean isAlive(String id);

    void logs(Container c, Path dir, LogOptions options, OutputSink sink, BooleanSupplier running) throws IOException;

    /** Attaches to a running container until exit, detach or client disconnect. */
    void attach(Container c, AttachOptions options, InputStream stdin, OutputSink sink) throws IOException;

    void resize(String id, int height, int width);

    /** What a command run inside a container gave: exit code and the first bytes of its output. */
    record ProbeResult(int exitCode, String output, boolean timedOut) {}

    /**
     * Runs {@code argv} inside the running container with its process settings, waits at most {@code timeout}
     * (then kills it), and keeps the first {@code maxOutput} bytes of stdout and stderr.
     */
    ProbeResult probe(String id, List<String> argv, java.time.Duration timeout, int maxOutput) throws IOException;

    /** Writes the container's filesystem as a tar stream. */
    void export(Container c, OutputStream out) throws IOException;

    /** An exec'd process, from when it runs until it has exited and its session is closed. */
    interface RunningExec extends AutoCloseable {
        int pid();

        /**
         * Copies the client's stdin (null: none) to the process and its output to {@code sink} until the output ends or,
         * with a terminal, the client types {@code detachKeys}; returns true when the client detached.
         */
        boolean pump(InputStream stdin, OutputSink sink, byte[] detachKeys);

        /** Blocks until the process has exited; returns its exit code (128 + n for signal n). */
        int awaitExit();

        void resize(int height, int width);

        /** Removes the session's files; a process still running is not affected. */
        @Override
        void close();
    }

    /**
     * Starts an exec'd process in the running container. With {@code attached}, its output is held for
     * {@link RunningExec#pump} from the first byte; otherwise it is discarded.
     *
     * @throws StartFailure with Docker's exit code: 127 command not found, 126 cannot invoke (bad user, permissions)
     */
    RunningExec exec(Container c, String execId, ExecConfig config, boolean attached) throws StartFailure;

    /** Freezes the container's processes. */
    void pause(String id);

    /** Thaws what {@link #pause} froze. */
    void resume(String id);

    /** {@code ps} with {@code psArgs} over the container's processes; InvalidArgument when ps refuses the options. */
    TopResult top(String id, String psArgs);

    /** A reading of the running container's resource usage. */
    StatsReading stats(Container c);

    /** Applies new limits to the running container; null leaves a limit unchanged. */
    void update(String id, Long memoryBytes, Long nanoCpus, Long pidsLimit);

    /** Receives the exits conmon records, from a thread of the lifecycle's own. */
    @FunctionalInterface
    interface ExitListener {
        void exited(String id, int exitCode, Instant when);
    }

    /** Starts delivering exits to {@code listener}; call once, after the service exists. */
    void watchExits(ExitListener listener);

    /** The user namespace {@code c} runs in, null for the host's (the default, and all a fake needs). */
    default IdMap userNamespace(Container c) {
        return null;
    }

    @Override
    void close();

    /** Work on a container's root filesystem, given its host path. */
    @FunctionalInterface
    interface RootfsWork<T> {
        T run(Path rootfs) throws IOException;
    }

    /**
     * Runs {@code work} with the container's root filesystem mounted (mounting it for the time of the work when the
     * container is not running), as {@code cp} needs.
     */
    default <T> T withRootfs(Container c, RootfsWork<T> work) throws IOException {
        throw new UnsupportedOperationException("no root filesystem for container " + c.id());
    }
}
