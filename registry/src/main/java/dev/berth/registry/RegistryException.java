package dev.berth.registry;

/**
 * A registry said no, or could not be reached; the message is the one Docker prints for the same failure. {@link #code()}
 * is the registry's error code ("MANIFEST_UNKNOWN", "DENIED", ...) when it gave one, else "".
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How the failure maps to the engine's error categories. */
    public enum Kind { NOT_FOUND, UNAUTHORIZED, INVALID, UNAVAILABLE }

    private final Kind kind;
    private final String code;

    public RegistryException(Kind kind, String message) {
        this(kind, message, null, "");
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, "");
    }

    public RegistryException(Kind kind, String message, Throwable cause, String code) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
