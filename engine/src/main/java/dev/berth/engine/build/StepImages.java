package dev.berth.engine.build;

import dev.berth.engine.images.ImageDefaults;
import dev.berth.engine.images.ResolvedImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images build containers run on: a build step's result is not a stored image (only the final one is), so the
 * container service finds it here, by its ID, for as long as the step's container is being created.
 */
public final class StepImages {
    private static final ImageDefaults NONE = new ImageDefaults("", List.of(), null, null, "", Map.of(), List.of(),
            List.of(), null);
    private final Map<String, ResolvedImage> images = new ConcurrentHashMap<>();

    void add(String id, List<String> chainIds) {
        images.put(id, new ResolvedImage(id, chainIds, NONE));
    }

    void remove(String id) {
        images.remove(id);
    }

    public Optional<ResolvedImage> find(String ref) {
        return Optional.ofNullable(images.get(ref));
    }
}
