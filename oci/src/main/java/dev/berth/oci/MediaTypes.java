package dev.berth.oci;

import java.util.List;

/** The media types of the Docker image manifest v2 schema 2 and the OCI image spec that Berth reads and writes. */
public final class MediaTypes {
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_NONDISTRIBUTABLE_PREFIX = "application/vnd.oci.image.layer.nondistributable.";

    /** What a puller asks for, in Docker's order of preference. */
    public static final List<String> MANIFEST_ACCEPT = List.of(DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_MANIFEST,
            OCI_INDEX);

    private MediaTypes() {
    }

    public static boolean isIndex(String mediaType) {
        return DOCKER_MANIFEST_LIST.equals(mediaType) || OCI_INDEX.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return DOCKER_MANIFEST.equals(mediaType) || OCI_MANIFEST.equals(mediaType);
    }

    /** Layers Docker does not fetch (foreign and non-distributable ones): their content lives elsewhere. */
    public static boolean isForeignLayer(String mediaType) {
        return DOCKER_FOREIGN_LAYER.equals(mediaType) || mediaType.startsWith(OCI_NONDISTRIBUTABLE_PREFIX);
    }

    public static boolean isLayer(String mediaType) {
        return mediaType.equals(DOCKER_LAYER) || mediaType.startsWith(OCI_LAYER) || isForeignLayer(mediaType)
                || mediaType.equals("application/vnd.docker.image.rootfs.diff.tar");
    }
}
