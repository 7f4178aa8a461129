package dev.berth.registry.server;

import java.util.Map;

/**
 * An error of the OCI distribution spec: its code, the HTTP status the spec gives it, a message, and extra headers
 * (e.g. {@code WWW-Authenticate} with 401, {@code Range} with 416). Encoded as {@code {"errors":[{...}]}}.
 */
final class RegistryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final transient Map<String, String> headers;

    RegistryError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    RegistryError(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    static RegistryError blobUnknown(String digest) {
        return new RegistryError(404, "BLOB_UNKNOWN", "blob unknown to registry: " + digest);
    }

    static RegistryError uploadUnknown() {
        return new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
    }

    static RegistryError uploadInvalid(String why) {
        return new RegistryError(400, "BLOB_UPLOAD_INVALID", "blob upload invalid: " + why);
    }

    static RegistryError digestInvalid(String why) {
        return new RegistryError(400, "DIGEST_INVALID", "provided digest did not match uploaded content: " + why);
    }

    static RegistryError manifestUnknown(String reference) {
        return new RegistryError(404, "MANIFEST_UNKNOWN", "manifest unknown: " + reference);
    }

    static RegistryError manifestInvalid(String why) {
        return new RegistryError(400, "MANIFEST_INVALID", "manifest invalid: " + why);
    }

    static RegistryError manifestBlobUnknown(String digest) {
        return new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry: " + digest);
    }

    static RegistryError nameInvalid(String name) {
        return new RegistryError(400, "NAME_INVALID", "invalid repository name: " + name);
    }

    static RegistryError nameUnknown(String name) {
        return new RegistryError(404, "NAME_UNKNOWN", "repository name not known to registry: " + name);
    }

    static RegistryError tagInvalid(String tag) {
        return new RegistryError(400, "TAG_INVALID", "manifest tag did not match URI: " + tag);
    }

    static RegistryError unsupported(String what) {
        return new RegistryError(405, "UNSUPPORTED", "the operation is unsupported: " + what);
    }

    static RegistryError paginationInvalid(String why) {
        return new RegistryError(400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested: " + why);
    }
}
