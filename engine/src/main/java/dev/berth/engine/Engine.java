package dev.berth.engine;

import dev.berth.engine.build.BuildService;
import dev.berth.engine.build.CommitService;
import dev.berth.engine.build.StepImages;
import dev.berth.engine.containers.ContainerRegistry;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.LogDrivers;
import dev.berth.engine.containers.Names;
import dev.berth.engine.containers.RuncLifecycle;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.images.BlobHistory;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.networks.NetworkService;
import dev.berth.network.Netavark;
import dev.berth.engine.volumes.MountResolver;
import dev.berth.engine.volumes.VolumeService;
import dev.berth.registry.Progress;
import dev.berth.registry.RegistryConfig;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;
import dev.berth.store.OverlaySnapshotter;
import dev.berth.store.meta.MetadataStore;
import dev.berth.store.meta.NetworkStore;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;

/** Wires the engine's services from a {@link DaemonConfig}; the daemon holds one. */
public final class Engine implements AutoCloseable {
    private final MetadataStore db;
    private final ImageService images;
    private final ContainerService containers;
    private final SystemService system;
    private final BuildService builds;
    private final CommitService commits;
    private final EventBus events;
    private final DiskUsage disk;
    private final NetworkStore networkDb;
    private final NetworkService networks;
    private VolumeService volumes;
    private RegistryServices registry;

    private Engine(MetadataStore db, ImageService images, ContainerService containers, SystemService system,
            BuildService builds, CommitService commits, EventBus events, DiskUsage disk, NetworkStore networkDb,
            NetworkService networks) {
        this.db = db;
        this.images = images;
        this.containers = containers;
        this.system = system;
        this.builds = builds;
        this.commits = commits;
        this.events = events;
        this.disk = disk;
        this.networkDb = networkDb;
        this.networks = networks;
    }

    /** Partial downloads stay this long for a pull to resume; older ones are removed when the daemon starts. */
    private static final java.time.Duration INGEST_MAX_AGE = java.time.Duration.ofHours(24);

    public static Engine open(DaemonConfig config) throws IOException {
        return open(config, RegistryConfig.defaults());
    }

    public static Engine open(DaemonConfig config, RegistryConfig registryConfig) throws IOException {
        try {
            LogDrivers.resolve(null, Map.of(), config.logDriver(), config.logOpts());
        } catch (EngineException e) {
            throw new IOException("failed to set log opts: " + e.getMessage(), e);
        }
        Files.createDirectories(config.dataRoot());
        Files.createDirectories(config.execRoot());
        MetadataStore db;
        try {
            db = MetadataStore.open(config.database());
        } catch (SQLException e) {
            throw new IOException("cannot open " + config.database() + ": " + e.getMessage(), e);
        }
        try {
            Clock clock = Clock.systemUTC();
            LayerStore layers = new LayerStore(config.dataRoot());
            EventBus events = new EventBus(clock);
            ContentStore content = new ContentStore(config.dataRoot());
            content.removeIngestLeftovers(INGEST_MAX_AGE);
            ImageService images = new ImageService(db, layers, content, clock, events);
            OverlaySnapshotter snapshots = new OverlaySnapshotter(layers);
            NetworkStore networkDb = NetworkStore.open(config.database());
            NetworkService networks = new NetworkService(config, networkDb,
                    Netavark.installed(config.execRoot().resolve("netavark")), clock, events);
            RuncLifecycle lifecycle = new RuncLifecycle(config, snapshots, networks);
            StepImages stepImages = new StepImages();
            VolumeService volumes = new VolumeService(config, db, clock, events);
            ContainerService containers = new ContainerService(config, new ContainerRegistry(db),
                    ref -> stepImages.find(ref).orElseGet(() -> images.resolveForContainer(ref)), lifecycle,
                    new Names(), clock, events, new MountResolver(volumes));
            networks.containers(ref -> {
                try {
                    return java.util.Optional.of(containers.inspect(ref));
                } catch (EngineException.NotFound e) {
                    return java.util.Optional.empty();
                }
            });
            volumes.usersFrom(name -> MountResolver.users(containers.list(), name));
            volumes.open();
            lifecycle.watchExits(containers::onExit);
            // Networks first: what crashed containers left is undone before recovery restarts any of them, so the
            // clean-up never takes a namespace a restart has just made. Containers recorded as running that died
            // meanwhile are torn down by the recovery itself.
            networks.reconcile(
                    containers.list().stream().filter(c -> c.state().isRunning()).map(c -> c.id())
                            .collect(java.util.stream.Collectors.toSet()),
                    containers.list().stream().map(c -> c.id()).collect(java.util.stream.Collectors.toSet()));
            containers.recover();
            SystemService system = new SystemService(SystemFacts.probe(config, daemonId(config)), containers, images);
            BuildService builds = new BuildService(config, db, images, containers, stepImages, layers, snapshots, clock);
            CommitService commits = new CommitService(config, images, containers, layers, clock);
            Engine engine = new Engine(db, images, containers, system, builds, commits, events,
                    new DiskUsage(config, layers, images, containers, volumes, builds), networkDb, networks);
            engine.volumes = volumes;
            engine.registry = RegistryServices.open(registryConfig, images, layers, content, new BlobHistory(db),
                    Files.createDirectories(config.dataRoot().resolve("ingest")));
            RegistryServices registry = engine.registry;
            builds.pullMissingWith(ref -> registry.pulls().pull(ref, hasTagOrDigest(ref) ? null : "latest", null, null,
                    Progress.NONE));
            return engine;
        } catch (SQLException e) {
            throw new IOException("cannot read " + config.database() + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code ref} names a tag or digest ("busybox:1", "x@sha256:..."), not just a repository. */
    private static boolean hasTagOrDigest(String ref) {
        return ref.contains("@") || ref.lastIndexOf(':') > ref.lastIndexOf('/');
    }

    /** A stable ID for this daemon, kept in the data root. */
    private static String daemonId(DaemonConfig config) throws IOException {
        var file = config.dataRoot().resolve("engine-id");
        if (!Files.exists(file)) {
            byte[] b = new byte[16];
            new java.security.SecureRandom().nextBytes(b);
            Files.writeString(file, HexFormat.of().formatHex(b));
        }
        return Files.readString(file).strip();
    }

    public ImageService images() {
        return images;
    }

    public ContainerService containers() {
        return containers;
    }

    public BuildService builds() {
        return builds;
    }

    public CommitService commits() {
        return commits;
    }

    public SystemService system() {
        return system;
    }

    public EventBus events() {
        return events;
    }

    /** Pull, push, login. */
    public RegistryServices registry() {
        return registry;
    }

    public DiskUsage disk() {
        return disk;
    }

    public NetworkService networks() {
        return networks;
    }

    public VolumeService volumes() {
        return volumes;
    }

    @Override
    public void close() {
        containers.close();
        networks.close();
        try {
            networkDb.close();
            db.close();
        } catch (SQLException e) {
            // closing on shutdown: nothing left to do with the error
        }
    }
}
