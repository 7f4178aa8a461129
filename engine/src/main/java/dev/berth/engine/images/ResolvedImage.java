package dev.berth.engine.images;

import java.util.List;

/**
 * An image found for a container.
 *
 * @param id "sha256:..."
 * @param chainIds the layers' chain IDs, bottom first
 */
public record ResolvedImage(String id, List<String> chainIds, ImageDefaults defaults) {}
