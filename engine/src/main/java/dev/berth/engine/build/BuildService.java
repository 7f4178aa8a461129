package dev.berth.engine.build;

import dev.berth.build.BuildException;
import dev.berth.build.BuildHost;
import dev.berth.build.BuildOptions;
import dev.berth.build.BuildOutput;
import dev.berth.build.Builder;
import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.ContainerSettings;
import dev.berth.engine.containers.Isolation;
import dev.berth.engine.containers.LogOptions;
import dev.berth.engine.containers.MountSettings;
import dev.berth.engine.containers.WaitCondition;
import dev.berth.engine.images.ImageService;
import dev.berth.store.LayerStore;
import dev.berth.store.OverlaySnapshotter;
import dev.berth.store.meta.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code docker build}: runs the {@link Builder} with the engine underneath it. RUN steps become real containers
 * (created, started, followed through their log, removed), the build cache lives in the metadata database, and the
 * result is stored and tagged through the image service.
 */
public final class BuildService implements BuildHost {
    private static final Logger LOG = Logger.getLogger(BuildService.class.getName());
    private final DaemonConfig config;
    private final MetadataStore db;
    private final ImageService images;
    private final ContainerService containers;
    private final StepImages stepImages;
    private final Builder builder;
    private final Clock clock;
    private volatile Consumer<String> puller = ref -> { };

    public BuildService(DaemonConfig config, MetadataStore db, ImageService images, ContainerService containers,
            StepImages stepImages, LayerStore layers, OverlaySnapshotter snapshots, Clock clock) throws IOException {
        this.config = config;
        this.db = db;
        this.images = images;
        this.containers = containers;
        this.stepImages = stepImages;
        this.clock = clock;
        this.builder = new Builder(this, layers, snapshots, clock);
        Path scratch = scratchRoot();
        if (Files.exists(scratch)) {
            try (var walk = Files.walk(scratch)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!p.equals(scratch)) {
                        Files.deleteIfExists(p); // what a build interrupted by a crash left behind
                    }
                }
            }
        }
    }

    /** Builds; bad input and failed steps come back as {@link BuildException} with Docker's message. */
    public String build(InputStream context, BuildOptions options, BuildOutput out) throws BuildException {
        return builder.build(context, options, out);
    }

    /** Builds from a context downloaded from {@code url} (a tar, or a Dockerfile alone). */
    public String buildRemote(String url, BuildOptions options, BuildOutput out) throws BuildException {
        return builder.buildRemote(url, options, out);
    }

    /**
     * {@code docker builder prune}: removes the {@code RUN --mount=type=cache} directories no running build uses, last
     * used before {@code until} (null: any time), until at most {@code keepBytes} are left (0: all); returns their names
     * and the bytes they held.
     */
    public Builder.PrunedCache prune(java.time.Instant until, long keepBytes) {
        try {
            return builder.pruneCacheMounts(until, keepBytes);
        } catch (IOException e) {
            throw new EngineException.Internal("failed to prune build cache: " + e.getMessage(), e);
        }
    }

    /** The {@code RUN --mount=type=cache} directories, for {@code system df}. */
    public List<Builder.CacheEntry> cacheEntries() {
        try {
            return builder.cacheMounts();
        } catch (IOException e) {
            throw new EngineException.Internal("failed to read build cache: " + e.getMessage(), e);
        }
    }

    private Path cacheMountsRoot() {
        return config.dataRoot().resolve("build-cache-mounts");
    }

    @Override
    public Path cacheMounts() throws IOException {
        return Files.createDirectories(cacheMountsRoot());
    }

    private Path scratchRoot() {
        return config.dataRoot().resolve("build");
    }

    @Override
    public Path scratch() throws IOException {
        return Files.createDirectories(scratchRoot());
    }

    /** How a build fetches a {@code FROM} image it does not have: a registry pull (none until one is given). */
    public void pullMissingWith(Consumer<String> pull) {
        this.puller = pull;
    }

    /** The image {@code ref}, pulled first if missing, as Docker's builder does; empty if the pull fails too. */
    @Override
    public Optional<Image> image(String ref) {
        Optional<Image> local = images.raw(ref).map(r -> new Image(r.id(), r.config()));
        if (local.isPresent()) {
            return local;
        }
        try {
            puller.accept(ref);
        } catch (EngineException e) {
            LOG.log(Level.FINE, "build: cannot pull " + ref, e);
            return Optional.empty(); // the builder reports Docker's "pull access denied"
        }
        return images.raw(ref).map(r -> new Image(r.id(), r.config()));
    }

    /** {@code --pull}: pulled again even when present; empty when the registry refuses it. */
    @Override
    public Optional<Image> pull(String ref) {
        try {
            puller.accept(ref);
        } catch (EngineException e) {
            LOG.log(Level.FINE, "build: cannot pull " + ref, e);
            return Optional.empty();
        }
        return images.raw(ref).map(r -> new Image(r.id(), r.config()));
    }

    @Override
    public void checkTag(String tag) throws BuildException {
        try {
            images.checkReference(tag);
        } catch (EngineException e) {
            throw new BuildException("invalid reference format: " + e.getMessage());
        }
    }

    @Override
    public List<String> commit(byte[] imageConfig, long size, String parentId, List<String> tags) throws BuildException {
        try {
            return images.store(imageConfig, size, parentId, tags);
        } catch (EngineException e) {
            throw new BuildException(e.getMessage(), 1, false, e);
        }
    }

    @Override
    public Optional<byte[]> cached(String key) {
        try {
            return db.buildCache(key);
        } catch (SQLException e) {
            return Optional.empty(); // a cache that cannot be read is a miss
        }
    }

    @Override
    public void remember(String key, byte[] imageConfig) {
        try {
            db.putBuildCache(key, imageConfig, clock.instant().toString());
        } catch (SQLException e) {
            throw new EngineException.Internal("failed to record a build cache entry: " + e.getMessage(), e);
        }
    }

    @Override
    public Container create(RunSpec spec) throws BuildException {
        stepImages.add(spec.imageId(), spec.chainIds());
        try {
            // Build steps run in the host's user namespace, so that their changes become layers with the ids they wrote.
            ContainerSettings settings = new ContainerSettings(null, "", spec.user(), false, true, true, false, false,
                    false, spec.env(), spec.argv(), null, spec.workingDir(), Map.of(), List.of(), List.of(), null, null,
                    spec.networkMode(), false, 0, 0, null, 0, null, "no", 0, List.of(), List.of(), false, false, null,
                    Map.of(), null, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), null, null,
                    new Isolation("", "", "", "host", List.of()), null, storage(spec.mounts()));
            var c = containers.create(new ContainerService.CreateRequest(null, spec.imageId(), settings));
            return new StepContainer(c.id(), spec.secretEnv());
        } catch (EngineException e) {
            throw new BuildException(e.getMessage(), 1, e instanceof EngineException.InvalidArgument, e);
        } finally {
            stepImages.remove(spec.imageId());
        }
    }

    /** A step's mounts as {@code --mount} requests: binds of host paths the build prepared, and tmpfs. */
    private static MountSettings storage(List<Mount> mounts) {
        if (mounts.isEmpty()) {
            return null;
        }
        List<MountSettings.Request> requests = new java.util.ArrayList<>();
        for (Mount m : mounts) {
            requests.add(new MountSettings.Request(m.type(), m.source() == null ? "" : m.source().toString(),
                    m.target(), m.readOnly(), "", false, Map.of(), Map.of(), m.tmpfsSize(), 0));
        }
        return new MountSettings(List.of(), requests, Map.of(), List.of(), null);
    }

    /** Files the runtime bind-mounts over; created empty in the upper dir when the image lacks them, never content. */
    private static final List<String> MOUNT_TARGETS = List.of("etc/hostname", "etc/hosts", "etc/resolv.conf");

    private final class StepContainer implements Container {
        private final String id;
        private final List<String> secretEnv;

        StepContainer(String id, List<String> secretEnv) {
            this.id = id;
            this.secretEnv = secretEnv;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public int run(OutputStream output) throws BuildException {
            try {
                containers.start(id, secretEnv);
            } catch (EngineException e) {
                throw new BuildException(e.getMessage(), 127, true, e);
            }
            // The log holds everything from the start, so following it from a thread started now loses nothing.
            Thread follower = Thread.ofVirtual().start(() -> {
                try {
                    containers.logs(id, new LogOptions(true, true, true, -1, null, null, false),
                            (stream, data, off, len) -> output.write(data, off, len));
                } catch (IOException | RuntimeException e) {
                    // the client went away: the step still runs to its end and its exit code decides
                }
            });
            int code = containers.await(id, WaitCondition.NOT_RUNNING);
            try {
                follower.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BuildException("interrupted while running a build step", 1, false, e);
            }
            return code;
        }

        @Override
        public Path upperDir() {
            Path upper = config.containerDir(id).resolve("upper");
            for (String target : MOUNT_TARGETS) {
                Path p = upper.resolve(target);
                try {
                    if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
                        Files.delete(p);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return upper;
        }

        @Override
        public void close() {
            containers.remove(id, true);
        }
    }
}
