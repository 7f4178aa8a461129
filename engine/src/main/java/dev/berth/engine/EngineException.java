package dev.berth.engine;

/**
 * Every failure the engine reports to its callers, in a fixed set of categories (the daemon maps each to one HTTP
 * status, in one place). Messages are Docker's wording where clients depend on it.
 */
public abstract sealed class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** 404: no such container, image, ... */
    public static final class NotFound extends EngineException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(message, null);
        }
    }

    /** 409: the object's state or a name clash forbids the operation. */
    public static final class Conflict extends EngineException {
        private static final long serialVersionUID = 1L;

        public Conflict(String message) {
            super(message, null);
        }
    }

    /** 400: the request is malformed or asks for something impossible. */
    public static final class InvalidArgument extends EngineException {
        private static final long serialVersionUID = 1L;

        public InvalidArgument(String message) {
            super(message, null);
        }

        public InvalidArgument(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** 304: nothing to do (start of a running container, stop of a stopped one). */
    public static final class NotModified extends EngineException {
        private static final long serialVersionUID = 1L;

        public NotModified(String message) {
            super(message, null);
        }
    }

    /** 503: a needed service or resource is not available. */
    public static final class Unavailable extends EngineException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** 403: the operation is not allowed on this object. */
    public static final class Forbidden extends EngineException {
        private static final long serialVersionUID = 1L;

        public Forbidden(String message) {
            super(message, null);
        }
    }

    /** 501: the object cannot do this at all (logs of a container whose log driver keeps nothing to read). */
    public static final class NotImplemented extends EngineException {
        private static final long serialVersionUID = 1L;

        public NotImplemented(String message) {
            super(message, null);
        }
    }

    /** 500: anything else; the message still names the action, the object and the cause. */
    public static final class Internal extends EngineException {
        private static final long serialVersionUID = 1L;

        public Internal(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
