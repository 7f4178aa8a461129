package dev.berth.runtime;

/** A {@code --user} value that names no user or group of the image, with Docker's message text. */
public final class UserLookupException extends Exception {
    private static final long serialVersionUID = 1L;

    public UserLookupException(String message) {
        super(message);
    }
}
