package dev.berth.build;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code RUN --mount=type=cache} directories: one per cache ID under {@link BuildHost#cacheMounts}, made with the
 * mount's uid, gid and mode the first time and kept from one build to the next. {@code sharing=shared} lets steps use
 * a directory at the same time, {@code locked} waits until no other step uses it, and {@code private} takes a fresh
 * directory (thrown away after the step) when another step is using it.
 */
final class CacheMounts {
    private final BuildHost host;
    private final Map<String, Integer> users = new HashMap<>();

    CacheMounts(BuildHost host) {
        this.host = host;
    }

    /** A directory in use by one step; {@link #release} gives it back. */
    interface Lease {
        Path dir();

        void release();
    }

    Lease acquire(RunMounts.Spec spec, Path tmp) throws BuildException, IOException {
        String key = Digest.sha256(spec.id().getBytes(StandardCharsets.UTF_8)).hex();
        synchronized (this) {
            if (spec.sharing().equals("locked")) {
                while (users.getOrDefault(key, 0) > 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new BuildException("interrupted while waiting for cache mount " + spec.id(), 1, false, e);
                    }
                }
            } else if (spec.sharing().equals("private") && users.getOrDefault(key, 0) > 0) {
                Path dir = make(Files.createTempDirectory(tmp, "cache-").resolve("data"), spec);
                return lease(dir, () -> {
                    try {
                        CopyInstruction.deleteTree(dir.getParent());
                    } catch (IOException e) {
                        // the build's scratch directory goes with the build
                    }
                });
            }
            users.merge(key, 1, Integer::sum);
        }
        Path dir = host.cacheMounts().resolve(key);
        try {
            if (Files.isDirectory(dir)) {
                Files.setLastModifiedTime(dir, FileTime.from(Instant.now())); // when it was last used, for prune
            } else {
                Path fresh = make(Files.createTempDirectory(host.cacheMounts(), ".new-").resolve("data"), spec);
                try {
                    Files.move(fresh, dir);
                } catch (IOException e) {
                    if (!Files.isDirectory(dir)) { // another step made it meanwhile: use that one
                        throw e;
                    }
                }
                CopyInstruction.deleteTree(fresh.getParent());
            }
        } catch (IOException e) {
            release(key);
            throw e;
        }
        return lease(dir, () -> release(key));
    }

    private static Path make(Path dir, RunMounts.Spec spec) throws IOException {
        Files.createDirectory(dir);
        Files.setAttribute(dir, "unix:uid", spec.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dir, "unix:gid", spec.gid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(dir, "unix:mode", spec.mode() & 07777, LinkOption.NOFOLLOW_LINKS);
        return dir;
    }

    /** The cache directories, their sizes and times, and whether a step is using them. */
    List<Builder.CacheEntry> list() throws IOException {
        Path root = host.cacheMounts();
        List<Builder.CacheEntry> out = new ArrayList<>();
        try (var list = Files.list(root)) {
            for (Path dir : list.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    boolean inUse;
                    synchronized (this) {
                        inUse = users.containsKey(name);
                    }
                    out.add(new Builder.CacheEntry(name, bytes(dir), a.creationTime().toInstant(),
                            a.lastModifiedTime().toInstant(), inUse));
                } catch (NoSuchFileException e) {
                    // pruned meanwhile
                }
            }
        }
        return out;
    }

    /**
     * Removes the cache directories no step is using and last used before {@code until} (null: any time), the least
     * recently used first, until what is left holds at most {@code keepBytes} (0: remove them all); returns their names
     * (the hashes of their IDs) and the bytes their files held. A step that starts meanwhile gets a fresh directory.
     */
    Builder.PrunedCache prune(Instant until, long keepBytes) throws IOException {
        List<Builder.CacheEntry> all = list();
        long left = all.stream().mapToLong(Builder.CacheEntry::size).sum();
        List<Builder.CacheEntry> candidates = all.stream().filter(e -> !e.inUse())
                .filter(e -> until == null || e.lastUsedAt().isBefore(until))
                .sorted(Comparator.comparing(Builder.CacheEntry::lastUsedAt)).toList();
        Path root = host.cacheMounts();
        List<String> names = new ArrayList<>();
        long bytes = 0;
        for (Builder.CacheEntry e : candidates) {
            if (keepBytes > 0 && left <= keepBytes) {
                break;
            }
            Path moved = root.resolve(".prune-" + e.id());
            synchronized (this) {
                if (users.containsKey(e.id()) || !Files.isDirectory(root.resolve(e.id()), LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Files.move(root.resolve(e.id()), moved);
            }
            long size = bytes(moved);
            CopyInstruction.deleteTree(moved);
            names.add(e.id());
            bytes += size;
            left -= e.size();
        }
        try (var list = Files.list(root)) { // what a prune interrupted by a crash left behind
            for (Path dir : list.filter(d -> d.getFileName().toString().startsWith(".prune-")).toList()) {
                bytes += bytes(dir);
                CopyInstruction.deleteTree(dir);
            }
        }
        return new Builder.PrunedCache(names, bytes);
    }

    private static long bytes(Path dir) throws IOException {
        long bytes = 0;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    bytes += Files.size(p);
                }
            }
        }
        return bytes;
    }

    private synchronized void release(String key) {
        users.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        notifyAll();
    }

    private static Lease lease(Path dir, Runnable release) {
        return new Lease() {
            @Override
            public Path dir() {
                return dir;
            }

            @Override
            public void release() {
                release.run();
            }
        };
    }
}
