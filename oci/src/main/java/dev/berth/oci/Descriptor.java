package dev.berth.oci;

import java.util.List;
import java.util.Objects;

/**
 * An OCI content descriptor: what a manifest says about a blob it points to.
 *
 * @param platform only in the entries of an index or manifest list; null elsewhere
 * @param urls where a foreign layer lives; empty for ordinary blobs
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, List<String> urls) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + digest);
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, List.of());
    }
}
