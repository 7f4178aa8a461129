package dev.berth.engine.images;

import dev.berth.engine.EngineException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.registry.BlobSources;
import dev.berth.registry.Credentials;
import dev.berth.registry.Progress;
import dev.berth.registry.Puller;
import dev.berth.registry.RegistryException;
import dev.berth.store.LayerStore;
import dev.berth.store.meta.MetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code docker pull}: resolves what the API's {@code fromImage} and {@code tag} name, pulls it with the registry
 * client, records the image and tags it, and reports Docker's closing lines ("Digest: ...", "Status: ...").
 */
public final class PullService {
    private final Puller puller;
    private final ImageService images;
    private final LayerStore layers;
    private final BlobSources sources;

    public PullService(Puller puller, ImageService images, LayerStore layers, BlobSources sources) {
        this.puller = puller;
        this.images = images;
        this.layers = layers;
        this.sources = sources;
    }

    /**
     * Pulls {@code fromImage} with {@code tag} (a tag, or a digest as the docker CLI sends one); with neither a tag
     * here nor in {@code fromImage}, every tag of the repository ({@code pull -a}).
     */
    public void pull(String fromImage, String tag, String platform, Credentials credentials, Progress progress) {
        Reference ref;
        boolean allTags = (tag == null || tag.isEmpty()) && !fromImage.contains("@")
                && fromImage.lastIndexOf(':') <= fromImage.lastIndexOf('/');
        try {
            String full = fromImage;
            if (tag != null && !tag.isEmpty()) {
                full = fromImage + (tag.contains(":") ? "@" : ":") + tag;
            }
            ref = Reference.parse(full);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument(e.getMessage(), e);
        }
        Platform wanted;
        try {
            wanted = platform == null || platform.isEmpty() ? Platform.host() : Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument(e.getMessage(), e);
        }
        List<Reference> refs = allTags ? allTags(ref, credentials) : List.of(ref);
        boolean newer = false;
        for (Reference r : refs) {
            newer |= pullOne(r, wanted, credentials, progress, !allTags);
        }
        if (allTags) {
            progress.status("", "Status: " + (newer ? "Downloaded newer image for " : "Image is up to date for ")
                    + ref.familiarName());
        }
    }

    private List<Reference> allTags(Reference ref, Credentials credentials) {
        try {
            List<Reference> out = new ArrayList<>();
            for (String t : puller.tags(ref, credentials)) {
                out.add(ref.withTag(t));
            }
            return out;
        } catch (RegistryException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new EngineException.Internal(e.getMessage(), e);
        }
    }

    private boolean pullOne(Reference ref, Platform wanted, Credentials credentials, Progress progress, boolean status) {
        Puller.Pulled pulled;
        try {
            pulled = puller.pull(ref, wanted, credentials, d -> images.has(d.toString()), progress);
        } catch (RegistryException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new EngineException.Internal(e.getMessage(), e);
        }
        List<MetadataStore.LayerBlob> blobs = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < pulled.layers().size(); i++) {
            Descriptor d = pulled.layers().get(i);
            sources.seen(ref.domain(), ref.path(), d.digest());
            blobs.add(new MetadataStore.LayerBlob(pulled.diffIds().get(i), d.digest().toString(), d.mediaType(), d.size(),
                    d.urls()));
            String chainId = pulled.chainIds().get(i);
            Long known = pulled.unpackedSizes().get(chainId);
            size += known != null ? known : measure(layers.diffDir(chainId));
        }
        Reference tag = ref.digest() == null ? ref : null;
        boolean newer = images.recordPulled(pulled.config(), size, tag, ref.name() + "@" + pulled.manifestDigest(),
                blobs);
        if (status) {
            progress.status("", "Digest: " + pulled.manifestDigest());
            String name = ref.familiar();
            progress.status("", "Status: " + (newer ? "Downloaded newer image for " : "Image is up to date for ") + name);
        }
        return newer;
    }

    private static long measure(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Registry failures in the engine's categories, with the registry client's (Docker's) message. */
    public static EngineException translate(RegistryException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> new EngineException.NotFound(e.getMessage());
            case UNAUTHORIZED -> new EngineException.Forbidden(e.getMessage());
            case INVALID, UNAVAILABLE -> new EngineException.Internal(e.getMessage(), e);
        };
    }
}
