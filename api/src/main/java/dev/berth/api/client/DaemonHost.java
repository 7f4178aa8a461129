package dev.berth.api.client;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens. Like the docker CLI, an explicit {@code -H} wins over {@code DOCKER_HOST}, which wins over
 * the default socket. Only {@code unix://} addresses are accepted: Berth's client never opens network connections.
 */
public record DaemonHost(String uri, Path socket) {
    public static final String DEFAULT = "unix:///run/berth/berth.sock";

    public static DaemonHost resolve(String flag, Map<String, String> env) {
        String chosen = flag;
        if (chosen == null || chosen.isEmpty()) {
            chosen = env.get("DOCKER_HOST");
        }
        if (chosen == null || chosen.isEmpty()) {
            chosen = DEFAULT;
        }
        return parse(chosen);
    }

    public static DaemonHost parse(String uri) {
        String prefix = "unix://";
        if (!uri.startsWith(prefix) || uri.length() == prefix.length()) {
            throw new IllegalArgumentException("unsupported host " + uri + ": only unix:// sockets are supported");
        }
        return new DaemonHost(uri, Path.of(uri.substring(prefix.length())));
    }
}
