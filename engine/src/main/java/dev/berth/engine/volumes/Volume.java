package dev.berth.engine.volumes;

import java.time.Instant;
import java.util.Map;

/**
 * A local volume: a directory, {@code <data-root>/volumes/<name>/_data}, that outlives the containers mounting it.
 *
 * @param options the driver options it was created with (type, device, o), empty for a plain directory
 * @param labels user labels; an anonymous volume carries {@link #ANONYMOUS_LABEL}
 */
public record Volume(String name, String driver, Instant createdAt, Map<String, String> labels,
        Map<String, String> options) {
    /** The label Docker (23+) puts on anonymous volumes, which {@code volume prune} removes by default. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

    public Volume {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public boolean anonymous() {
        return labels.containsKey(ANONYMOUS_LABEL);
    }
}
