package dev.berth.registry;

import dev.berth.oci.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the daemon remembers of blobs and registries (Docker's "v2 metadata"): which repositories of a registry hold a
 * blob, because it was pulled from or pushed to them, so that a push to another repository of the same registry can
 * mount the blob instead of sending it; and the upload a push had open for a blob, so that an interrupted push goes on
 * from where the registry says it stopped. Registries are named as references name them ("localhost:5000",
 * "docker.io"), repositories by their path ("library/busybox"). Implementations are thread-safe; the daemon's survives
 * restarts.
 */
public interface BlobSources {
    /** Records that {@code registry/repository} holds {@code digest}, as its newest source. */
    void seen(String registry, String repository, Digest digest);

    /** The repositories of {@code registry} known to hold {@code digest}, most recently seen first. */
    List<String> repositories(String registry, Digest digest);

    /** The upload URL a push of {@code digest} to {@code registry/repository} left open. */
    Optional<String> upload(String registry, String repository, Digest digest);

    /** Remembers the open upload's URL, or forgets it ({@code location} null). */
    void upload(String registry, String repository, Digest digest, String location);

    /** A record kept in memory, for a client that lives as long as its pushes. */
    static BlobSources inMemory() {
        return new BlobSources() {
            private final Map<String, List<String>> sources = new ConcurrentHashMap<>();
            private final Map<String, String> uploads = new ConcurrentHashMap<>();

            @Override
            public void seen(String registry, String repository, Digest digest) {
                sources.compute(registry + " " + digest, (k, v) -> {
                    List<String> l = v == null ? new ArrayList<>() : new ArrayList<>(v);
                    l.remove(repository);
                    l.addFirst(repository);
                    return l;
                });
            }

            @Override
            public List<String> repositories(String registry, Digest digest) {
                return List.copyOf(sources.getOrDefault(registry + " " + digest, List.of()));
            }

            @Override
            public Optional<String> upload(String registry, String repository, Digest digest) {
                return Optional.ofNullable(uploads.get(registry + "/" + repository + " " + digest));
            }

            @Override
            public void upload(String registry, String repository, Digest digest, String location) {
                String key = registry + "/" + repository + " " + digest;
                if (location == null) {
                    uploads.remove(key);
                } else {
                    uploads.put(key, location);
                }
            }
        };
    }
}
