package dev.berth.oci;

import java.util.List;
import java.util.Objects;

/** An image manifest (Docker schema 2 or OCI): a config blob and layer blobs, bottom first. */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers) {
    public Manifest {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
    }
}
