package dev.berth.build;

import java.io.Serial;

/**
 * A build that cannot go on, with the message Docker gives for the same failure ("dockerfile parse error on line 3:
 * unknown instruction: FOO", "The command '/bin/sh -c false' returned a non-zero code: 1"). {@code code} is the exit
 * code the client reports (errorDetail.code); {@code userError} tells bad input (400) from a daemon failure (500).
 */
public final class BuildException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;
    private final int code;
    private final boolean userError;

    public BuildException(String message) {
        this(message, 1, true, null);
    }

    public BuildException(String message, int code, boolean userError, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.userError = userError;
    }

    /** "dockerfile parse error on line N: ..." */
    public static BuildException parse(int line, String message) {
        return new BuildException("dockerfile parse error on line " + line + ": " + message);
    }

    public int code() {
        return code;
    }

    public boolean userError() {
        return userError;
    }
}
