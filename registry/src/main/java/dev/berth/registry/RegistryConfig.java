package dev.berth.registry;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's registry settings (daemon.json).
 *
 * @param insecure {@code insecure-registries}: hosts (host[:port]) reached over plain HTTP when HTTPS fails, as
 *     localhost always is; CIDR entries are not supported
 * @param hubMirrors {@code registry-mirrors}: base URLs tried in order before Docker Hub for pulls
 * @param mirrors {@code registry-mirrors-by-host} (Berth's own key): the same for any registry, e.g.
 *     {@code {"quay.io": ["https://quay-mirror.example"]}}
 * @param maxConcurrentDownloads {@code max-concurrent-downloads}, 3 by default
 * @param maxConcurrentUploads {@code max-concurrent-uploads}, 5 by default
 */
public record RegistryConfig(Set<String> insecure, List<String> hubMirrors, Map<String, List<String>> mirrors,
        int maxConcurrentDownloads, int maxConcurrentUploads) {
    public static final String DOCKER_HUB = "docker.io";

    public RegistryConfig {
        insecure = Set.copyOf(insecure);
        hubMirrors = List.copyOf(hubMirrors);
        mirrors = Map.copyOf(mirrors);
        if (maxConcurrentDownloads < 1 || maxConcurrentUploads < 1) {
            throw new IllegalArgumentException("max-concurrent-downloads and max-concurrent-uploads must be at least 1");
        }
    }

    public static RegistryConfig defaults() {
        return new RegistryConfig(Set.of(), List.of(), Map.of(), 3, 5);
    }

    /** Whether plain HTTP may be used for {@code host}: loopback always, others when listed as insecure. */
    public boolean allowsHttp(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return isLoopback(name) || insecure.contains(name) || insecure.contains(bare(name));
    }

    /** localhost, 127.0.0.0/8 or [::1], with or without a port. */
    public static boolean isLoopback(String host) {
        String bare = bare(host.toLowerCase(Locale.ROOT));
        return bare.equals("localhost") || bare.startsWith("127.") || bare.equals("[::1]");
    }

    private static String bare(String name) {
        return name.startsWith("[") ? name.substring(0, name.indexOf(']') + 1)
                : name.contains(":") ? name.substring(0, name.lastIndexOf(':')) : name;
    }

    /** The mirrors to try before {@code host} itself, in order. */
    public List<String> mirrorsOf(String host) {
        if (host.equals(DOCKER_HUB) && !hubMirrors.isEmpty()) {
            return hubMirrors;
        }
        return mirrors.getOrDefault(host, List.of());
    }
}
