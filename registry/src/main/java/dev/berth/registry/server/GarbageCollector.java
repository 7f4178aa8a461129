package dev.berth.registry.server;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * Online garbage collection: the registry keeps serving pulls and pushes while it runs.
 *
 * <p>Mark: every manifest linked in a repository (tagged or not) is live, and so is everything it refers to (config,
 * layers, child manifests). Sweep: a blob that is not live is deleted only if it has not been touched for the grace
 * period. Every push path touches the blobs it makes reachable (upload completion, mount, HEAD, manifest PUT), so a
 * blob a client is about to refer to is never older than the grace period when the manifest arrives, whether the
 * push started before or during the collection. In the server the final "still old? delete" also holds the storage's
 * write lock, which excludes those operations for the instant of the delete; a collection run from another process
 * ({@code berth registry gc}) relies on the grace period alone. Links to deleted blobs and uploads abandoned for
 * longer than the grace period are removed too.
 */
public final class GarbageCollector {
    /** What one collection did. */
    public record Result(int live, int deletedBlobs, long freedBytes, int deletedUploads) {}

    private final RegistryStorage storage;
    private final Duration grace;

    GarbageCollector(RegistryStorage storage, Duration grace) {
        this.storage = storage;
        this.grace = grace;
    }

    /** A collection of the registry under {@code root}, e.g. from {@code berth registry gc}. */
    public static Result collect(Path root, Duration grace) throws IOException {
        return new GarbageCollector(new RegistryStorage(root), grace).run();
    }

    public Result run() throws IOException {
        Instant cutoff = Instant.now().minus(grace);
        Set<Digest> live = mark();
        int deleted = 0;
        long freed = 0;
        Path blobs = storage.root().resolve("blobs");
        for (String alg : RegistryStorage.listNames(blobs)) {
            for (String hex : RegistryStorage.listNames(blobs.resolve(alg))) {
                Digest d;
                try {
                    d = new Digest(alg, hex);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (live.contains(d) || !olderThan(storage.blobPath(d), cutoff)) {
                    continue;
                }
                Lock lock = storage.gcLock().writeLock();
                lock.lock();
                try {
                    Path p = storage.blobPath(d);
                    if (olderThan(p, cutoff)) {
                        long size = Files.size(p);
                        Files.delete(p);
                        deleted++;
                        freed += size;
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
        removeDanglingLinks();
        return new Result(live.size(), deleted, freed, removeStaleUploads(cutoff));
    }

    private Set<Digest> mark() throws IOException {
        Set<Digest> live = new HashSet<>();
        for (String repo : storage.repositories()) {
            for (Digest m : storage.revisions(repo)) {
                if (!storage.blobExists(m)) {
                    continue;
                }
                live.add(m);
                byte[] content;
                try {
                    content = storage.readBlob(m);
                } catch (NoSuchFileException e) {
                    continue; // deleted meanwhile: it refers to nothing any more
                }
                try {
                    ManifestCheck check = ManifestCheck.parse(content, null);
                    live.addAll(check.blobs());
                    live.addAll(check.children());
                } catch (RegistryError e) {
                    // what it refers to is unknown, so nothing can safely be called garbage
                    throw new IOException("cannot read manifest " + m + " of " + repo + " (" + e.getMessage()
                            + "); nothing was deleted", e);
                }
            }
        }
        return live;
    }

    private void removeDanglingLinks() throws IOException {
        Lock lock = storage.gcLock().writeLock();
        for (String repo : storage.repositories()) {
            for (Digest d : storage.layers(repo)) {
                lock.lock();
                try {
                    if (!storage.blobExists(d)) {
                        Files.deleteIfExists(storage.layerLink(repo, d));
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private int removeStaleUploads(Instant cutoff) throws IOException {
        int n = 0;
        Path uploads = storage.root().resolve("uploads");
        for (String name : RegistryStorage.listNames(uploads)) {
            Path p = uploads.resolve(name);
            Path data = Files.isDirectory(p) ? p.resolve("data") : p;
            if (olderThan(Files.exists(data) ? data : p, cutoff)) {
                RegistryStorage.deleteTree(p);
                n++;
            }
        }
        return n;
    }

    private static boolean olderThan(Path p, Instant cutoff) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
        } catch (IOException e) {
            return false;
        }
    }
}
