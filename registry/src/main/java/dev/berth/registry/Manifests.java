package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Index;
import dev.berth.oci.Manifest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads manifests, indexes and image configs from their JSON, checking what a puller relies on. */
public final class Manifests {
    /** containers/image's limit for manifests (CVE-2022-21698-style memory exhaustion is the reason for a limit). */
    public static final int MAX_MANIFEST = 4 << 20;
    /** Image configs can hold long histories; Docker reads them whole, Berth up to this. */
    public static final int MAX_CONFIG = 8 << 20;

    private Manifests() {
    }

    /** The media type of a manifest: its own {@code mediaType} field, else what the registry's Content-Type said. */
    public static String mediaType(byte[] json, String contentType) throws IOException {
        JsonNode n = RegistryClient.JSON.readTree(json);
        String own = n.path("mediaType").asText("");
        if (!own.isEmpty()) {
            return own;
        }
        if (contentType != null && !contentType.isEmpty() && !contentType.startsWith("application/json")) {
            return contentType.split(";")[0].trim();
        }
        // OCI allows omitting mediaType: a "manifests" array makes it an index
        return n.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

    public static Manifest manifest(byte[] json, String mediaType) throws IOException {
        JsonNode n = RegistryClient.JSON.readTree(json);
        if (n.path("schemaVersion").asInt(0) != 2) {
            throw new IOException("unsupported manifest schema version " + n.path("schemaVersion").asText());
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : n.path("layers")) {
            layers.add(descriptor(l));
        }
        return new Manifest(mediaType, descriptor(n.path("config")), layers);
    }

    public static Index index(byte[] json, String mediaType) throws IOException {
        JsonNode n = RegistryClient.JSON.readTree(json);
        List<Descriptor> manifests = new ArrayList<>();
        for (JsonNode m : n.path("manifests")) {
            manifests.add(descriptor(m));
        }
        return new Index(mediaType, manifests);
    }

    private static Descriptor descriptor(JsonNode n) throws IOException {
        try {
            Platform platform = null;
            JsonNode p = n.get("platform");
            if (p != null && p.isObject()) {
                platform = new Platform(p.path("os").asText(""), p.path("architecture").asText(""),
                        p.path("variant").asText(""));
            }
            List<String> urls = new ArrayList<>();
            n.path("urls").forEach(u -> urls.add(u.asText()));
            return new Descriptor(n.path("mediaType").asText(""), Digest.parse(n.path("digest").asText("")),
                    n.path("size").asLong(-1), platform, urls);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid descriptor in manifest: " + e.getMessage(), e);
        }
    }

    /** The {@code rootfs.diff_ids} of an image config. */
    public static List<String> diffIds(byte[] config) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode d : RegistryClient.JSON.readTree(config).path("rootfs").path("diff_ids")) {
            out.add(Digest.parse(d.asText()).toString());
        }
        return out;
    }
}
