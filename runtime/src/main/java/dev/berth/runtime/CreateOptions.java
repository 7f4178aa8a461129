package dev.berth.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How conmon runs one container.
 *
 * @param terminal  the container has a pseudo-terminal (must match {@code process.terminal} in config.json)
 * @param stdin     keep a pipe (or the terminal) open for the container's stdin, fed from attach sessions
 * @param stdinOnce close the container's stdin when the first attach session closes its stdin (Docker's {@code StdinOnce},
 *                  set by {@code docker run -i}); otherwise stdin stays open across attaches
 * @param logPath   where conmon writes the k8s-file log, chosen by the engine
 * @param runtime   "runc" (default) or "crun"
 * @param log       whether conmon writes the log, and the size at which it starts a new file ({@link LogFiles})
 */
public record CreateOptions(boolean terminal, boolean stdin, boolean stdinOnce, Path logPath, String runtime,
        LogPolicy log) {
    public CreateOptions {
        Objects.requireNonNull(logPath, "logPath");
        runtime = runtime == null || runtime.isEmpty() ? "runc" : runtime;
        log = log == null ? new LogPolicy(true, -1, 1, false) : log;
    }

    /** A log that grows without limit. */
    public CreateOptions(boolean terminal, boolean stdin, boolean stdinOnce, Path logPath, String runtime) {
        this(terminal, stdin, stdinOnce, logPath, runtime, null);
    }
}
