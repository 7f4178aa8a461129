package dev.berth.engine.containers;

import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.images.ImageDefaults;
import dev.berth.engine.images.ResolvedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container use cases: create, start, stop, kill, wait, remove, list, inspect, logs, attach, export.
 *
 * <p>States and transitions are those of {@link RunState}. Which operation accepts which state:
 * start: created or exited (running → {@link EngineException.NotModified}); stop: running (else NotModified);
 * kill: running (else Conflict); remove: any, running only with force. Every state change is written to the database
 * before it is acted on by others, so a daemon killed at any point finds consistent records when it starts again;
 * {@link #recover()} then reconciles them with what conmon left behind.
 */
public final class ContainerService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ContainerService.class.getName());
    /** Docker's default for stop and restart without -t. */
    private static final int DEFAULT_STOP_TIMEOUT = 10;
    private static final java.util.Set<String> KNOWN_RUNTIMES = java.util.Set.of("runc", "crun");

    private final DaemonConfig config;
    private final ContainerRegistry registry;
    private final Function<String, ResolvedImage> images;
    private final Lifecycle lifecycle;
    private final Names names;
    private final Clock clock;
    private final Map<String, Monitor> monitors = new ConcurrentHashMap<>();

    /** {@code images} finds the image a create names, or throws Docker's "No such image". */
    public ContainerService(DaemonConfig config, ContainerRegistry registry, Function<String, ResolvedImage> images,
            Lifecycle lifecycle,
            Names names, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.images = images;
        this.lifecycle = lifecycle;
        this.names = names;
        this.clock = clock;
    }

    private Monitor monitor(String id) {
        return monitors.computeIfAbsent(id, k -> new Monitor());
    }

    // ---- create -------------------------------------------------------------------------------------------------

    /** A container to create: {@code requested} holds what the client gave; nulls are filled from the image. */
    public record CreateRequest(String name, String image, ContainerSettings requested) {}

    /**
     * Creates a container: record, directory and filesystem snapshot, all or nothing. The database insert is the
     * commit point: a directory without a record is garbage that {@link #recover()} removes.
     */
    public Container create(CreateRequest req) {
        String name = req.name();
        if (name != null && !name.isEmpty()) {
            if (!Names.VALID.matcher(name).matches()) {
                throw new EngineException.InvalidArgument("Invalid container name (" + name
                        + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
            }
            name = name.startsWith("/") ? name.substring(1) : name;
            String taken = name;
            registry.lookupByName(taken).ifPresent(c -> {
                throw ContainerRegistry.nameConflict(taken, c.id());
            });
        }
        String runtime = req.requested().runtime();
        if (runtime != null && !runtime.isEmpty() && !KNOWN_RUNTIMES.contains(runtime)) {
            throw new EngineException.InvalidArgument("unknown or invalid runtime name: " + runtime);
        }
        LogDrivers.Config log = LogDrivers.resolve(req.requested().logDriver(), req.requested().logOptions(),
                config.logDriver(), config.logOpts());
        ResolvedImage image = images.apply(req.image());
        String id = names.newId();
        ContainerSettings settings = merge(req.requested(), image.defaults(), id, log);
        if (settings.argv().isEmpty()) {
            throw new EngineException.InvalidArgument("no command specified");
        }
        if (name == null || name.isEmpty()) {
            name = freeGeneratedName();
        }
        Container c = new Container(id, name, clock.instant(), req.image(), image.id(), image.chainIds(), settings,
                RunState.created(), 0, false);
        Path dir = config.containerDir(id);
        try {
            Files.createDirectories(dir);
            lifecycle.prepare(c, dir);
            registry.add(c);
        } catch (IOException | RuntimeException e) {
            lifecycle.discard(id, dir);
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException.Internal("failed to create container " + id + ": " + e.getMessage(), e);
        }
        return c;
    }

    private String freeGeneratedName() {
        for (int attempt = 0; ; attempt++) {
            String candidate = names.newName(attempt);
            if (registry.lookupByName(candidate).isEmpty()) {
                return candidate;
            }
        }
    }

    /** Docker's merge of the container's config with the image's (daemon/create.go, runconfig Merge). */
    static ContainerSettings merge(ContainerSettings r, ImageDefaults img, String id, LogDrivers.Config log) {
        List<String> env = new ArrayList<>(r.env() == null ? List.of() : r.env());
        if (img.env() != null) {
            for (String e : img.env()) {
                String key = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
                if (env.stream().noneMatch(x -> x.equals(key) || x.startsWith(key + "="))) {
                    env.add(e);
                }
            }
        }
        List<String> entrypoint = r.entrypoint();
        List<String> cmd = r.cmd();
        if (entrypoint == null || entrypoint.isEmpty()) {
            if (cmd == null || cmd.isEmpty()) {
                cmd = img.cmd();
            }
            if (entrypoint == null) {
                entrypoint = img.entrypoint();
            }
        }
        if (entrypoint != null && entrypoint.size() == 1 && entrypoint.getFirst().isEmpty()) {
            entrypoint = null; // --entrypoint "" resets the image's entrypoint
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (img.labels() != null) {
            labels.putAll(img.labels());
        }
        if (r.labels() != null) {
            labels.putAll(r.labels());
        }
        List<String> ports = union(img.exposedPorts(), r.exposedPorts());
        List<String> volumes = union(img.volumes(), r.volumes());
        String hostname = r.hostname() == null || r.hostname().isEmpty() ? id.substring(0, 12) : r.hostname();
        return new ContainerSettings(hostname, r.domainname() == null ? "" : r.domainname(),
                r.user() == null || r.user().isEmpty() ? (img.user() == null ? "" : img.user()) : r.user(),
                r.attachStdin(), r.attachStdout(), r.attachStderr(), r.tty(), r.openStdin(), r.stdinOnce(),
                env, cmd, entrypoint,
                r.workingDir() == null || r.workingDir().isEmpty()
                        ? (img.workingDir() == null ? "" : img.workingDir()) : r.workingDir(),
                labels, ports, volumes,
                r.stopSignal() == null || r.stopSignal().isEmpty() ? img.stopSignal() : r.stopSignal(),
                r.stopTimeout(), r.networkMode() == null || r.networkMode().isEmpty() || r.networkMode().equals("default")
                        ? "none" : r.networkMode(),
                r.autoRemove(), r.memory(), r.nanoCpus(), r.pidsLimit(), r.shmSize(), r.runtime(),
                r.restartPolicy() == null || r.restartPolicy().isEmpty() ? "no" : r.restartPolicy(),
                r.restartMaxRetries(), r.capAdd(), r.capDrop(), r.privileged(), r.readonlyRootfs(),
                log.driver(), log.options(),
                r.init(), r.dns(), r.dnsSearch(), r.dnsOptions(), r.extraHosts(), r.groupAdd(), r.sysctls(),
                r.consoleSize());
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>();
        for (List<String> l : List.of(a == null ? List.<String>of() : a, b == null ? List.<String>of() : b)) {
            for (String s : l) {
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    // ---- start / exit -------------------------------------------------------------------------------------------

    /** Starts a created or exited container; attach sessions opened before start receive all its output. */
    public void start(String ref) {
        Container c = registry.find(ref);
        Monitor m = monitor(c.id());
        EngineException failure;
        m.op.lock();
        try {
            c = registry.byId(c.id()).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
            switch (c.state().status()) {
                case RUNNING, RESTARTING -> throw new EngineException.NotModified("container already started");
                case PAUSED -> throw new EngineException.Conflict("cannot start a paused container, try unpause instead");
                case REMOVING, DEAD -> throw new EngineException.Conflict("container " + c.id() + " is marked for removal and cannot be started");
                default -> { }
            }
            List<PendingAttach> waiting;
            synchronized (m) {
                waiting = new ArrayList<>(m.pending);
                m.pending.clear();
            }
            try {
                int pid = lifecycle.start(c, config.containerDir(c.id()), waiting);
                registry.update(c.withState(c.state().running(pid, clock.instant())));
                return;
            } catch (Lifecycle.StartFailure e) {
                registry.update(c.withState(c.state().failed(e.exitCode(), e.getMessage(), clock.instant())));
                waiting.forEach(PendingAttach::cancel);
                m.exited();
                failure = new EngineException.InvalidArgument(e.getMessage(), e);
            }
        } finally {
            m.op.unlock();
        }
        if (c.settings().autoRemove()) {
            remove(c.id(), true); // as Docker: a --rm container that cannot start does not stay behind
        }
        throw failure;
    }

    /** Called when conmon reports that a container's process ended. */
    public void onExit(String id, int exitCode, Instant when) {
        Monitor m = monitor(id);
        Container c;
        m.op.lock();
        try {
            c = registry.byId(id).orElse(null);
            if (c == null || !c.state().isRunning()) {
                return;
            }
            lifecycle.stopped(c, config.containerDir(id));
            c = registry.update(c.withState(c.state().exited(exitCode, when)));
        } finally {
            m.op.unlock();
        }
        m.exited();
        if (c.settings().autoRemove()) {
            try {
                remove(id, true);
            } catch (EngineException e) {
                LOG.log(Level.WARNING, "auto-remove of container " + id + " failed", e);
            }
        }
    }

    /**
     * Reconciles records with reality after a daemon start: containers whose conmon still runs stay running; those that
     * exited meanwhile get their exit code and time; directories without a record (a crash mid-create) are removed.
     */
    public void recover() {
        for (Container c : registry.all()) {
            if (!c.state().isRunning()) {
                continue;
            }
            Lifecycle.Exit exit = lifecycle.exitOf(c.id());
            if (exit != null) {
                onExit(c.id(), exit.code(), exit.when());
            } else if (!lifecycle.isAlive(c.id())) {
                onExit(c.id(), 255, clock.instant());
            } else {
                lifecycle.resumed(c, config.containerDir(c.id()));
            }
        }
        Path root = config.dataRoot().resolve("containers");
        try (var dirs = Files.exists(root) ? Files.list(root) : java.util.stream.Stream.<Path>empty()) {
            for (Path dir : dirs.toList()) {
                String id = dir.getFileName().toString();
                if (registry.byId(id).isEmpty()) {
                    lifecycle.discard(id, dir);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot scan " + root, e);
        }
    }

    // ---- stop / kill / restart / wait ---------------------------------------------------------------------------

    /** Sends the stop signal, waits up to {@code timeoutSeconds} (null: the container's or 10), then kills. */
    public void stop(String ref, Integer timeoutSeconds, String signal) {
        Container c = registry.find(ref);
        if (!c.state().isRunning()) {
            throw new EngineException.NotModified("container already stopped");
        }
        stopRunning(c, timeoutSeconds, signal);
    }

    private void stopRunning(Container c, Integer timeoutSeconds, String signal) {
        Monitor m = monitor(c.id());
        long seen;
        synchronized (m) {
            seen = m.exits;
        }
        int sig = Signals.parse(signal != null && !signal.isEmpty() ? signal : c.settings().stopSignal(), Signals.SIGTERM);
        int timeout = timeoutSeconds != null ? timeoutSeconds
                : c.settings().stopTimeout() != null ? c.settings().stopTimeout() : DEFAULT_STOP_TIMEOUT;
        try {
            lifecycle.kill(c.id(), sig);
            if (timeout < 0) {
                m.awaitExitAfter(seen);
                return;
            }
            if (m.awaitExitAfter(seen, timeout * 1000L)) {
                return;
            }
            lifecycle.kill(c.id(), Signals.SIGKILL);
            if (!m.awaitExitAfter(seen, 30_000)) {
                throw new EngineException.Internal("container " + c.id() + " did not exit 30 seconds after SIGKILL", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Internal("interrupted while stopping container " + c.id(), e);
        }
    }

    public void kill(String ref, String signal) {
        Container c = registry.find(ref);
        if (!c.state().isRunning()) {
            throw new EngineException.Conflict("cannot kill container: " + ref + ": container " + c.id() + " is not running");
        }
        lifecycle.kill(c.id(), Signals.parse(signal, Signals.SIGKILL));
    }

    public void restart(String ref, Integer timeoutSeconds, String signal) {
        Container c = registry.find(ref);
        if (c.state().isRunning()) {
            stopRunning(c, timeoutSeconds, signal);
        }
        start(c.id());
    }

    /** Blocks until the condition holds; returns the container's exit code then. */
    public int await(String ref, WaitCondition condition) {
        Container c = registry.find(ref);
        Monitor m = monitor(c.id());
        try {
            switch (condition) {
                case NOT_RUNNING -> {
                    long seen;
                    synchronized (m) {
                        seen = m.exits;
                        if (!registry.byId(c.id()).map(x -> x.state().isRunning()).orElse(false)) {
                            return registry.byId(c.id()).map(x -> x.state().exitCode()).orElse(c.state().exitCode());
                        }
                    }
                    m.awaitExitAfter(seen);
                }
                case NEXT_EXIT -> {
                    long seen;
                    synchronized (m) {
                        seen = m.exits;
                    }
                    m.awaitExitAfter(seen);
                }
                case REMOVED -> m.awaitRemoved();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Internal("interrupted while waiting for container " + c.id(), e);
        }
        return lastExitCode(c.id(), c);
    }

    private final Map<String, Integer> exitCodesOfRemoved = new ConcurrentHashMap<>();

    private int lastExitCode(String id, Container fallback) {
        return registry.byId(id).map(x -> x.state().exitCode())
                .orElseGet(() -> exitCodesOfRemoved.getOrDefault(id, fallback.state().exitCode()));
    }

    // ---- remove ---------------------------------------------------------------------------------------------------

    public void remove(String ref, boolean force) {
        Container c = registry.find(ref);
        if (c.state().isRunning()) {
            if (!force) {
                throw new EngineException.Conflict("cannot remove container \"" + ref
                        + "\": container is running: stop the container before removing or force remove");
            }
            Monitor m = monitor(c.id());
            long seen;
            synchronized (m) {
                seen = m.exits;
            }
            lifecycle.kill(c.id(), Signals.SIGKILL);
            try {
                m.awaitExitAfter(seen, 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException.Internal("interrupted while removing container " + c.id(), e);
            }
        }
        Monitor m = monitor(c.id());
        m.op.lock();
        try {
            Container current = registry.byId(c.id()).orElse(null);
            if (current == null) {
                return; // removed meanwhile (auto-remove)
            }
            if (current.state().isRunning()) {
                throw new EngineException.Conflict("cannot remove container \"" + ref
                        + "\": container is running: stop the container before removing or force remove");
            }
            exitCodesOfRemoved.put(c.id(), current.state().exitCode());
            registry.remove(c.id());
            lifecycle.discard(c.id(), config.containerDir(c.id()));
        } finally {
            m.op.unlock();
        }
        List<PendingAttach> waiting;
        synchronized (m) {
            waiting = new ArrayList<>(m.pending);
            m.pending.clear();
        }
        waiting.forEach(PendingAttach::cancel);
        m.markRemoved();
        monitors.remove(c.id());
    }

    // ---- queries --------------------------------------------------------------------------------------------------

    public Container inspect(String ref) {
        return registry.find(ref);
    }

    public List<Container> list() {
        return registry.all();
    }

    public ContainerRegistry registry() {
        return registry;
    }

    // ---- logs / attach / export -------------------------------------------------------------------------------------

    public void logs(String ref, LogOptions options, OutputSink sink) throws IOException {
        Container c = registry.find(ref);
        lifecycle.logs(c, config.containerDir(c.id()), options, sink,
                () -> sink.connected() && registry.byId(c.id()).map(x -> x.state().isRunning()).orElse(false));
    }

    /**
     * Attaches to a container's stdio until its process exits, the client detaches with the detach keys, or the client
     * goes away. On a created container the session waits for start.
     */
    public void attach(String ref, AttachOptions options, InputStream stdin, OutputSink sink) throws IOException {
        Container c = registry.find(ref);
        Monitor m = monitor(c.id());
        PendingAttach pending = null;
        m.op.lock();
        try {
            Container current = registry.byId(c.id()).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
            if (!current.state().isRunning()) {
                pending = new PendingAttach(options, stdin, sink);
                synchronized (m) {
                    m.pending.add(pending);
                }
            }
        } finally {
            m.op.unlock();
        }
        if (pending != null) {
            pending.awaitEnd();
            return;
        }
        lifecycle.attach(c, options, stdin, sink);
    }

    public void resize(String ref, int height, int width) {
        Container c = registry.find(ref);
        if (!c.state().isRunning()) {
            throw new EngineException.Conflict("Container " + c.id() + " is not running");
        }
        lifecycle.resize(c.id(), height, width);
    }

    public void export(String ref, OutputStream out) throws IOException {
        Container c = registry.find(ref);
        Monitor m = monitor(c.id());
        m.op.lock();
        try {
            lifecycle.export(c, out);
        } finally {
            m.op.unlock();
        }
    }

    /** Removes every stopped container; returns the removed IDs. */
    public List<String> prune(java.util.function.Predicate<Container> filter) {
        List<String> removed = new ArrayList<>();
        for (Container c : registry.all()) {
            if (!c.state().isRunning() && filter.test(c)) {
                try {
                    remove(c.id(), false);
                    removed.add(c.id());
                } catch (EngineException e) {
                    LOG.log(Level.FINE, "prune skipped " + c.id(), e);
                }
            }
        }
        return removed;
    }

    /** The containers created from an image. */
    public List<Container> imageUsers(String imageId) {
        return registry.all().stream().filter(c -> c.imageId().equals(imageId)).toList();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
