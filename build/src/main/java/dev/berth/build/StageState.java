package dev.berth.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage while it builds: the image so far (the config JSON Docker writes, whose digest is the image ID shown after
 * each step), its layers, the build args declared so far, and the SHELL in force.
 */
final class StageState {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    ObjectNode image;
    List<String> chainIds;
    /** ARGs declared in this stage, with the values they took, in declaration order. */
    final Map<String, String> args = new LinkedHashMap<>();
    /** Whether CMD was set in this stage (an ENTRYPOINT resets a CMD that came from the base image). */
    boolean cmdSet;
    /** The local image the stage started FROM (directly or through earlier stages), or null for scratch. */
    String baseImageId;
    final String name;
    final int index;

    StageState(String name, int index, ObjectNode image, List<String> chainIds) {
        this.name = name;
        this.index = index;
        this.image = image;
        this.chainIds = chainIds;
    }

    /** An empty image, for FROM scratch. */
    static ObjectNode scratch() {
        ObjectNode image = JSON.createObjectNode();
        image.put("architecture", "amd64");
        image.putObject("config");
        image.put("created", Instant.EPOCH.toString());
        image.putArray("history");
        image.put("os", "linux");
        ObjectNode rootfs = image.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids");
        return image;
    }

    static ObjectNode parse(byte[] config) {
        try {
            return (ObjectNode) JSON.readTree(config);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("unreadable image config: " + e.getMessage(), e);
        }
    }

    ObjectNode config() {
        return image.withObjectProperty("config");
    }

    byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String id() {
        return Digest.sha256(bytes()).toString();
    }

    static List<String> diffIdsOf(ObjectNode image) {
        List<String> out = new ArrayList<>();
        image.path("rootfs").path("diff_ids").forEach(n -> out.add(n.asText()));
        return out;
    }

    List<String> env() {
        List<String> out = new ArrayList<>();
        config().path("Env").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The image's Env as a map, for variable expansion. */
    Map<String, String> envMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : env()) {
            int eq = e.indexOf('=');
            m.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        return m;
    }

    /** What variables expand to in this stage: the build args, overridden by ENV (Docker's precedence). */
    Map<String, String> expansionEnv() {
        Map<String, String> m = new LinkedHashMap<>(args);
        m.putAll(envMap());
        return m;
    }

    void setEnv(String key, String value) {
        ArrayNode env = config().withArrayProperty("Env");
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i).asText();
            if (e.equals(key) || e.startsWith(key + "=")) {
                env.set(i, JSON.getNodeFactory().textNode(key + "=" + value));
                return;
            }
        }
        env.add(key + "=" + value);
    }

    List<String> shell() {
        JsonNode s = config().get("Shell");
        if (s == null || !s.isArray() || s.isEmpty()) {
            return DEFAULT_SHELL;
        }
        List<String> out = new ArrayList<>();
        s.forEach(n -> out.add(n.asText()));
        return out;
    }

    String workingDir() {
        return config().path("WorkingDir").asText("");
    }

    String user() {
        return config().path("User").asText("");
    }

    /** Appends a history entry and sets the creation time, as every committed step does. */
    void addHistory(String createdBy, boolean emptyLayer, Instant now) {
        ObjectNode h = image.withArrayProperty("history").addObject();
        h.put("created", now.toString());
        h.put("created_by", createdBy);
        if (emptyLayer) {
            h.put("empty_layer", true);
        }
        image.put("created", now.toString());
    }

    void addLayer(String diffId, String chainId) {
        image.withObjectProperty("rootfs").withArrayProperty("diff_ids").add(diffId);
        List<String> next = new ArrayList<>(chainIds);
        next.add(chainId);
        chainIds = List.copyOf(next);
    }

    static ArrayNode array(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
