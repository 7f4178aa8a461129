package dev.berth.runtime;

import java.util.Locale;

/**
 * The OCI runtime (runc, crun) refused to create or start a container. {@link #kind()} classifies the runtime's message the
 * way Docker does ({@code daemon/start.go} and the CLI's {@code run}): a missing executable or working directory is
 * {@link Kind#NOT_FOUND} (exit 127), a permission problem {@link Kind#CANNOT_INVOKE} (exit 126), anything else
 * {@link Kind#FAILED} (exit 125).
 */
public final class OciRuntimeException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        NOT_FOUND(127),
        CANNOT_INVOKE(126),
        FAILED(125);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The exit status {@code docker run} reports for this failure. */
        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;
    private final String runtimeMessage;

    /**
     * @param operation      "create" or "start"
     * @param runtimeMessage what the runtime printed, e.g. {@code runc create failed: unable to start container process:
     *                       exec: "nosuchcmd": executable file not found in $PATH}
     */
    public OciRuntimeException(String operation, String runtimeMessage) {
        super("OCI runtime " + operation + " failed: " + runtimeMessage + ": unknown");
        this.runtimeMessage = runtimeMessage;
        this.kind = classify(runtimeMessage);
    }

    static Kind classify(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        if (text.contains("executable file not found") || text.contains("no such file or directory")
                || text.contains("system cannot find the file specified")) {
            return Kind.NOT_FOUND;
        }
        if (text.contains("permission denied") || text.contains("is a directory") || text.contains("exec format error")) {
            return Kind.CANNOT_INVOKE;
        }
        return Kind.FAILED;
    }

    public Kind kind() {
        return kind;
    }

    public String runtimeMessage() {
        return runtimeMessage;
    }
}
