package dev.berth.engine;

import dev.berth.build.Builder;
import dev.berth.engine.build.BuildService;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.volumes.Volume;
import dev.berth.engine.volumes.VolumeService;
import dev.berth.runtime.LogFiles;
import dev.berth.store.LayerStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the daemon's data takes on disk, as {@code system df} shows it: images (layers, with what they share), containers
 * (their writable layer, and their logs), volumes and build cache.
 *
 * <p>Sizes are apparent sizes of file contents, as Docker counts them. Layers never change once unpacked, so their sizes
 * are computed once and kept; a container's writable layer is measured each time it is asked for.
 */
public final class DiskUsage {
    private final LayerStore layers;
    private final ImageService images;
    private final ContainerService containers;
    private final DaemonConfig config;
    private final Map<String, Long> layerSizes = new ConcurrentHashMap<>();
    private final VolumeService volumes;
    private final BuildService builds;

    public DiskUsage(DaemonConfig config, LayerStore layers, ImageService images, ContainerService containers) {
        this(config, layers, images, containers, null, null);
    }

    /** With {@code volumes} and {@code builds} (null for none) reporting the volumes and the build cache. */
    public DiskUsage(DaemonConfig config, LayerStore layers, ImageService images, ContainerService containers,
            VolumeService volumes, BuildService builds) {
        this.volumes = volumes;
        this.builds = builds;
        this.config = config;
        this.layers = layers;
        this.images = images;
        this.containers = containers;
    }

    /** An image, its size, the part of it other images share, and how many containers use it. */
    public record ImageUsage(ImageRecord image, long size, long sharedSize, int containers) {}

    /** A container's writable layer ({@code sizeRw}), that plus its image ({@code sizeRootFs}), and its log files. */
    public record ContainerUsage(Container container, long sizeRw, long sizeRootFs, long logSize) {}

    /** A volume as df shows it ({@code size} -1 when not measured). */
    public record VolumeUsage(String name, String driver, String mountpoint, Instant createdAt, Map<String, String> labels,
            String scope, long size, int refCount) {}

    /** A build cache record as df shows it. */
    public record BuildCacheUsage(String id, String type, String description, boolean inUse, boolean shared, long size,
            Instant createdAt, Instant lastUsedAt, int usageCount) {}

    /** Everything df reports; {@code layersSize} counts each layer once. */
    public record Report(long layersSize, List<ImageUsage> images, List<ContainerUsage> containers,
            List<VolumeUsage> volumes, List<BuildCacheUsage> buildCache) {}

    public Report report() {
        return new Report(layersSize(), images(), containers(), volumes(), buildCache());
    }

    /** The bytes of all layers images use, each counted once. */
    public long layersSize() {
        Set<String> all = new HashSet<>();
        for (ImageRecord i : images.list()) {
            all.addAll(i.chainIds());
        }
        return all.stream().mapToLong(this::layerSize).sum();
    }

    public List<ImageUsage> images() {
        List<ImageRecord> all = images.list();
        Map<String, Integer> users = new HashMap<>();
        for (Container c : containers.list()) {
            users.merge(c.imageId(), 1, Integer::sum);
        }
        Map<String, Integer> layerUsers = new HashMap<>();
        for (ImageRecord i : all) {
            for (String chainId : new HashSet<>(i.chainIds())) {
                layerUsers.merge(chainId, 1, Integer::sum);
            }
        }
        List<ImageUsage> out = new ArrayList<>();
        for (ImageRecord i : all) {
            long shared = 0;
            for (String chainId : new HashSet<>(i.chainIds())) {
                if (layerUsers.get(chainId) > 1) {
                    shared += layerSize(chainId);
                }
            }
            out.add(new ImageUsage(i, i.size(), shared, users.getOrDefault(i.id(), 0)));
        }
        return out;
    }

    public List<ContainerUsage> containers() {
        Map<String, Long> imageSizes = new HashMap<>();
        for (ImageRecord i : images.list()) {
            imageSizes.put(i.id(), i.size());
        }
        List<ContainerUsage> out = new ArrayList<>();
        for (Container c : containers.list()) {
            out.add(usage(c, imageSizes.getOrDefault(c.imageId(), 0L)));
        }
        return out;
    }

    /** One container's sizes, for {@code ps -s} and {@code inspect --size}. */
    public ContainerUsage container(Container c) {
        long imageSize = images.list().stream().filter(i -> i.id().equals(c.imageId())).mapToLong(ImageRecord::size)
                .findFirst().orElse(0);
        return usage(c, imageSize);
    }

    private ContainerUsage usage(Container c, long imageSize) {
        Path dir = config.containerDir(c.id());
        long rw = bytes(dir.resolve("upper"));
        long logs;
        try {
            logs = new LogFiles(dir.resolve("ctr.log")).size();
        } catch (IOException e) {
            logs = 0;
        }
        return new ContainerUsage(c, rw, rw + imageSize, logs);
    }

    /** Every volume, its size and how many containers use it. */
    public List<VolumeUsage> volumes() {
        if (volumes == null) {
            return List.of();
        }
        List<VolumeUsage> out = new ArrayList<>();
        for (Volume v : volumes.list()) {
            out.add(new VolumeUsage(v.name(), v.driver(), volumes.mountpoint(v.name()).toString(), v.createdAt(),
                    v.labels(), "local", volumes.size(v.name()), volumes.users(v.name()).size()));
        }
        return out;
    }

    /**
     * The build cache: the {@code RUN --mount=type=cache} directories, as BuildKit's {@code exec.cachemount} records.
     * The recorded results of earlier build steps are not counted: Docker's classic builder keeps those as images, not
     * as build cache.
     * How often a directory was used is not kept, so each counts once.
     */
    public List<BuildCacheUsage> buildCache() {
        if (builds == null) {
            return List.of();
        }
        List<BuildCacheUsage> out = new ArrayList<>();
        for (Builder.CacheEntry e : builds.cacheEntries()) {
            out.add(new BuildCacheUsage(e.id(), "exec.cachemount", "cached mount", e.inUse(), false, e.size(),
                    e.createdAt(), e.lastUsedAt(), 1));
        }
        return out;
    }

    /** The unpacked size of one layer, computed once. */
    public long layerSize(String chainId) {
        return layerSizes.computeIfAbsent(chainId, id -> bytes(layers.diffDir(id)));
    }

    /** The bytes of regular files under {@code root}, links not followed; 0 when it does not exist. */
    static long bytes(Path root) {
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // removed while we walked: a container at work
                    }
                    throw e;
                }
            });
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + root, e);
        }
        return total[0];
    }
}
