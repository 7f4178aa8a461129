package dev.berth.engine.images;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An image as the engine shows it.
 *
 * @param id "sha256:..." (the digest of its config)
 * @param repoTags familiar references ("busybox:latest"), sorted
 * @param config the image config as stored (parsed), for inspect
 * @param chainIds the layer chain IDs, bottom first
 * @param size bytes of all layers, unpacked
 */
public record ImageRecord(String id, List<String> repoTags, List<String> repoDigests, Instant created, long size,
        Instant lastTagTime, String author, String comment, String architecture, String os, String variant,
        ImageDefaults defaults, Map<String, String> labels, List<String> diffIds, List<String> chainIds,
        List<HistoryEntry> history) {

    /** One entry of the image's history. */
    public record HistoryEntry(Instant created, String createdBy, String comment, boolean emptyLayer) {}
}
