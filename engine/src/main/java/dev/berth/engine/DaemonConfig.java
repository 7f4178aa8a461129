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
 * @param init run an init process (catatonit) as PID 1 in containers that do not say ({@code "init": true})
 * @param initPath the init binary bind-mounted into containers ({@code "init-path"}); catatonit by default
 * @param bip the default bridge's address and prefix ({@code "bip": "10.20.0.1/16"}), null for 172.17.0.1/16
 * @param bridge the default bridge's interface name ({@code "bridge"}), {@code berth0} by default
 * @param usernsRemap {@code "userns-remap"}: "" (containers run as host ids), "default" or a user[:group] whose
 *     {@code /etc/subuid} and {@code /etc/subgid} ranges container ids map to
 */
public record DaemonConfig(Path dataRoot, Path execRoot, String defaultRuntime, Map<String, String> logOpts,
        String logDriver, boolean init, Path initPath, String bip, String bridge, String usernsRemap) {
    /** Debian's catatonit: static, so it runs in any image. */
    public static final Path DEFAULT_INIT = Path.of("/usr/bin/catatonit");

    public static final Path DEFAULT_FILE = Path.of("/etc/berth/daemon.json");

    public static DaemonConfig defaults() {
        return new DaemonConfig(Path.of("/var/lib/berth"), Path.of("/run/berth"), "runc", Map.of(), "json-file", false,
                DEFAULT_INIT, null, "berth0", "");
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
                json.path("log-driver").asText(d.logDriver),
                json.path("init").asBoolean(d.init),
                Path.of(json.path("init-path").asText(d.initPath.toString())),
                json.hasNonNull("bip") ? json.get("bip").asText() : null,
                json.path("bridge").asText(d.bridge),
                json.path("userns-remap").asText(d.usernsRemap));
    }

    public DaemonConfig withDataRoot(Path p) {
        return new DaemonConfig(p, execRoot, defaultRuntime, logOpts, logDriver, init, initPath, bip, bridge, usernsRemap);
    }

    public DaemonConfig withExecRoot(Path p) {
        return new DaemonConfig(dataRoot, p, defaultRuntime, logOpts, logDriver, init, initPath, bip, bridge, usernsRemap);
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
