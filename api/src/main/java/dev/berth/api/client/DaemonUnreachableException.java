package dev.berth.api.client;

/** The socket could not be reached at all; the CLI words this like Docker ("Cannot connect to the Docker daemon ..."). */
public final class DaemonUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DaemonUnreachableException(String host, Throwable cause) {
        super("Cannot connect to the Docker daemon at " + host + ". Is the docker daemon running?", cause);
    }
}
