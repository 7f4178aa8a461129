package dev.berth.oci;

import java.util.List;
import java.util.Optional;

/** A manifest list (Docker) or image index (OCI): one manifest per platform. */
public record Index(String mediaType, List<Descriptor> manifests) {
    public Index {
        manifests = List.copyOf(manifests);
    }

    /**
     * The manifest for {@code wanted}, as containerd's platform matcher picks it: same OS and architecture, and the same
     * variant when one is wanted (an entry without a variant matches any). Entries without a platform never match.
     */
    public Optional<Descriptor> select(Platform wanted) {
        Descriptor loose = null;
        for (Descriptor d : manifests) {
            Platform p = d.platform();
            if (p == null || !p.os().equals(wanted.os()) || !p.architecture().equals(wanted.architecture())) {
                continue;
            }
            if (wanted.variant().isEmpty() || wanted.variant().equals(p.variant())) {
                return Optional.of(d);
            }
            if (p.variant().isEmpty() && loose == null) {
                loose = d;
            }
        }
        return Optional.ofNullable(loose);
    }
}
