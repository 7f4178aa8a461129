package dev.berth.api.client;

/**
 * The daemon answered with an error status. {@link #getMessage()} is the daemon's own text (the JSON {@code message}, or
 * the raw body when the reply was not JSON), which the CLI prints after "Error response from daemon: ".
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
