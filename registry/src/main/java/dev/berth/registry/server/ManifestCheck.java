package dev.berth.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the registry needs to know of a manifest it stores: its media type, the blobs and child manifests it refers to,
 * its subject and artifact type. Parsed as a Jackson tree, so unknown fields pass through untouched.
 */
record ManifestCheck(String mediaType, List<Digest> blobs, List<Digest> children, Optional<Digest> subject,
                     String artifactType, JsonNode annotations) {
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final Set<String> SUPPORTED = Set.of(DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX);

    /** Manifests larger than this are refused, as distribution does (4 MiB): they are held in memory. */
    static final int MAX_SIZE = 4 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses and checks a manifest. {@code contentType} is the request's Content-Type (may be null); when the
     * manifest names its media type the two must agree.
     */
    static ManifestCheck parse(byte[] content, String contentType) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            throw RegistryError.manifestInvalid("invalid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw RegistryError.manifestInvalid("not a JSON object");
        }
        if (root.path("schemaVersion").asInt() != 2) {
            throw RegistryError.manifestInvalid("unsupported schemaVersion " + root.path("schemaVersion"));
        }
        String declared = root.path("mediaType").asText(null);
        String type = mediaTypeOf(root);
        String ct = contentType == null ? null : contentType.split(";")[0].trim();
        if (ct != null && SUPPORTED.contains(ct)) {
            if (declared != null && !declared.equals(ct)) {
                throw RegistryError.manifestInvalid("mediaType " + declared + " does not match Content-Type " + ct);
            }
            type = ct;
        }
        if (!SUPPORTED.contains(type)) {
            throw RegistryError.manifestInvalid("unsupported manifest media type " + type);
        }
        List<Digest> blobs = new ArrayList<>();
        List<Digest> children = new ArrayList<>();
        if (type.equals(DOCKER_LIST) || type.equals(OCI_INDEX)) {
            for (JsonNode m : root.path("manifests")) {
                children.add(digestField(m));
            }
        } else {
            if (!root.path("config").isObject()) {
                throw RegistryError.manifestInvalid("missing config");
            }
            blobs.add(digestField(root.path("config")));
            for (JsonNode l : root.path("layers")) {
                Digest d = digestField(l);
                // Foreign layers (with urls) are not pushed to the registry, as in distribution.
                if (!(l.path("urls").isArray() && !l.path("urls").isEmpty())) {
                    blobs.add(d);
                }
            }
        }
        Optional<Digest> subject = root.path("subject").isObject()
                ? Optional.of(digestField(root.path("subject"))) : Optional.empty();
        String artifactType = root.path("artifactType").asText(null);
        if (artifactType == null && type.equals(OCI_MANIFEST)) {
            artifactType = root.path("config").path("mediaType").asText(null);
        }
        return new ManifestCheck(type, blobs, children, subject, artifactType, root.get("annotations"));
    }

    /** The media type a stored manifest is served with: its own field, else what its shape says. */
    static String mediaTypeOf(byte[] content) {
        try {
            return mediaTypeOf(JSON.readTree(content));
        } catch (IOException e) {
            return OCI_MANIFEST;
        }
    }

    private static String mediaTypeOf(JsonNode root) {
        String declared = root.path("mediaType").asText(null);
        if (declared != null) {
            return declared;
        }
        return root.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
    }

    private static Digest digestField(JsonNode descriptor) {
        try {
            return Digest.parse(descriptor.path("digest").asText(""));
        } catch (IllegalArgumentException e) {
            throw RegistryError.manifestInvalid("invalid digest " + descriptor.path("digest"));
        }
    }
}
