package dev.berth.cli;

/**
 * A failure whose text and exit status are already what the user must see, e.g. "Error: No such object: x" (1) or
 * docker run's "berth: Error response from daemon: ..." (125). Main prints the message to stderr as is.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
