package dev.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.registry.RegistryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry keys of daemon.json: Docker's {@code insecure-registries}, {@code registry-mirrors} (Docker Hub only),
 * {@code max-concurrent-downloads}, {@code max-concurrent-uploads}, and Berth's {@code registry-mirrors-by-host}
 * ({@code {"quay.io": ["https://mirror.example"]}}) for mirrors of any registry.
 */
public final class RegistrySettings {
    private RegistrySettings() {
    }

    public static RegistryConfig load(Path daemonJson) throws IOException {
        RegistryConfig d = RegistryConfig.defaults();
        if (!Files.exists(daemonJson)) {
            return d;
        }
        JsonNode json = new ObjectMapper().readTree(daemonJson.toFile());
        Set<String> insecure = new HashSet<>();
        json.path("insecure-registries").forEach(n -> insecure.add(n.asText()));
        List<String> hub = new ArrayList<>();
        json.path("registry-mirrors").forEach(n -> hub.add(n.asText()));
        Map<String, List<String>> byHost = new LinkedHashMap<>();
        json.path("registry-mirrors-by-host").properties().forEach(e -> {
            List<String> urls = new ArrayList<>();
            e.getValue().forEach(n -> urls.add(n.asText()));
            byHost.put(e.getKey(), urls);
        });
        try {
            return new RegistryConfig(insecure, hub, byHost,
                    json.path("max-concurrent-downloads").asInt(d.maxConcurrentDownloads()),
                    json.path("max-concurrent-uploads").asInt(d.maxConcurrentUploads()));
        } catch (IllegalArgumentException e) {
            throw new IOException("unable to configure the daemon with file " + daemonJson + ": " + e.getMessage(), e);
        }
    }
}
