package dev.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The daemon's settings: command-line flags over {@code /etc/berth/daemon.json} over defaults.
 *
 * @param dataRoot where images, containers and the database live ({@code /var/lib/berth})
 * @param execRoot runtime state that does not survive a reboot ({@code /run/berth})
 * @param defaultRuntime "runc" or "crun"
 * @param logOpts default log options for containers
 * @param logDriver the log driver of containers that name none ("json-file")
 */
public record DaemonConfig(Path dataRoot, Path execRoot, String defaultRuntime, Map<String, String> logOpts,
        String logDriver) {
    public static final Path DEFAULT_FILE = Path.of("/etc/berth/daemon.json");

    public static DaemonConfig defaults() {
        return new DaemonConfig(Path.of("/var/lib/berth"), Path.of("/run/berth"), "runc", Map.of(), "json-file");
    }

    /** Reads daemon.json if it exists; unknown keys are kept for later features and ignored here. */
    public static DaemonConfig load(Path file) throws IOException {
        DaemonConfig d = defaults();
        if (!Files.exists(file)) {
            return d;
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("unable to configure the daemon with file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> logOpts = new TreeMap<>();
        json.path("log-opts").properties().forEach(e -> logOpts.put(e.getKey(), e.getValue().asText()));
        return new DaemonConfig(
                Path.of(json.path("data-root").asText(d.dataRoot.toString())),
                Path.of(json.path("exec-root").asText(d.execRoot.toString())),
                json.path("default-runtime").asText(d.defaultRuntime),
                Map.copyOf(logOpts),
                json.path("log-driver").asText(d.logDriver));
    }

    public DaemonConfig withDataRoot(Path p) {
        return new DaemonConfig(p, execRoot, defaultRuntime, logOpts, logDriver);
    }

    public DaemonConfig withExecRoot(Path p) {
        return new DaemonConfig(dataRoot, p, defaultRuntime, logOpts, logDriver);
    }

    public Path database() {
        return dataRoot.resolve("berth.db");
    }

    public Path containerDir(String id) {
        return dataRoot.resolve("containers").resolve(id);
    }

    public Path socket() {
        return execRoot.resolve("berth.sock");
    }
}
