package dev.berth.engine.containers;

import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.images.ImageDefaults;
import dev.berth.engine.images.ResolvedImage;
import dev.berth.linux.IdMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container use cases: create, start, stop, kill, wait, remove, list, inspect, logs, attach, export, exec, pause,
 * unpause, top, stats, update, rename; restart policies and health checks.
 *
 * <p>States and transitions are those of {@link RunState}. Which operation accepts which state:
 * start: created or exited (running → {@link EngineException.NotModified}); stop: running (else NotModified);
 * kill: running (else Conflict; a paused container is thawed after the signal); remove: any, running only with force;
 * pause: running; unpause: paused; exec: running (not paused); top: running or paused. A RESTARTING container (its
 * restart policy waits out the back-off) has no process: stop, kill and forced remove cancel the pending restart. Every
 * state change is written to the database before it is acted on by others, so a daemon killed at any point finds
 * consistent records when it starts again; {@link #recover()} then reconciles them with what conmon left behind and
 * starts again what the restart policies say should run.
 *
 * <p>Each operation emits its event ({@link #event}) once it has happened, as Docker's daemon does.
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
    private final EventBus events;
    /** Restart back-offs and health probes wait here: one thread for every container's timers. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("berth-timers").factory());

    private final ContainerVolumes volumes;

    /** {@code images} finds the image a create names, or throws Docker's "No such image". */
    public ContainerService(DaemonConfig config, ContainerRegistry registry, Function<String, ResolvedImage> images,
            Lifecycle lifecycle,
            Names names, Clock clock, EventBus events) {
        this(config, registry, images, lifecycle, names, clock, events, ContainerVolumes.NONE);
    }

    /** With {@code volumes} resolving and releasing the mounts of containers. */
    public ContainerService(DaemonConfig config, ContainerRegistry registry, Function<String, ResolvedImage> images,
            Lifecycle lifecycle, Names names, Clock clock, EventBus events, ContainerVolumes volumes) {
        this.volumes = volumes;
        this.config = config;
        this.registry = registry;
        this.images = images;
        this.lifecycle = lifecycle;
        this.names = names;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Emits a container event: the actor is the container, its attributes the container's labels, image and name,
     * plus {@code extra} (exitCode on die, signal on kill...).
     */
    public void event(Container c, String action, Map<String, String> extra) {
        Map<String, String> attributes = new java.util.HashMap<>();
        if (c.settings().labels() != null) {
            attributes.putAll(c.settings().labels());
        }
        attributes.put("image", c.image());
        attributes.put("name", c.name());
        attributes.putAll(extra);
        events.emit("container", action, c.id(), attributes);
    }

    private void event(Container c, String action) {
        event(c, action, Map.of());
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
        checkJoinedNetwork(req.requested());
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
        ContainerSettings requested = req.requested();
        RestartPolicy.validate(requested.restartPolicy(), requested.restartMaxRetries(), requested.autoRemove());
        if (requested.healthcheck() != null) {
            requested.healthcheck().validate();
        }
        checkUserNamespace(requested);
        String runtime = req.requested().runtime();
        if (runtime != null && !runtime.isEmpty() && !KNOWN_RUNTIMES.contains(runtime)) {
            throw new EngineException.InvalidArgument("unknown or invalid runtime name: " + runtime);
        }
        String stopSignal = req.requested().stopSignal();
        if (stopSignal != null && !stopSignal.isEmpty()) {
            Signals.parse(stopSignal, Signals.SIGTERM); // Docker refuses a bad --stop-signal at create: "Invalid signal: X"
        }
        LogDrivers.Config log = LogDrivers.resolve(req.requested().logDriver(), req.requested().logOptions(),
                config.logDriver(), config.logOpts());
        ResolvedImage image = images.apply(req.image());
        String id = names.newId();
        ContainerSettings settings = joinedById(merge(req.requested(), image.defaults(), id, log));
        if (settings.argv().isEmpty()) {
            throw new EngineException.InvalidArgument("no command specified");
        }
        if (name == null || name.isEmpty()) {
            name = freeGeneratedName();
        }
        settings = settings.withStorage(volumes.resolve(id, settings, registry::find));
        Container c = new Container(id, name, clock.instant(), req.image(), image.id(), image.chainIds(), settings,
                RunState.created(), 0, false, false);
        Path dir = config.containerDir(id);
        try {
            Files.createDirectories(dir);
            lifecycle.prepare(c, dir);
            registry.add(c);
        } catch (IOException | RuntimeException e) {
            lifecycle.discard(id, dir);
            volumes.release(c, true);
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException.Internal("failed to create container " + id + ": " + e.getMessage(), e);
        }
        event(c, "create");
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
                        ? "bridge" : r.networkMode(),
                r.autoRemove(), r.memory(), r.nanoCpus(), r.pidsLimit(), r.shmSize(), r.runtime(),
                r.restartPolicy() == null || r.restartPolicy().isEmpty() ? "no" : r.restartPolicy(),
                r.restartMaxRetries(), r.capAdd(), r.capDrop(), r.privileged(), r.readonlyRootfs(),
                log.driver(), log.options(),
                r.init(), r.dns(), r.dnsSearch(), r.dnsOptions(), r.extraHosts(), r.groupAdd(), r.sysctls(),
                r.consoleSize(), Healthcheck.merge(r.healthcheck(), img.healthcheck()),
                r.isolation(), r.networking(), r.storage());
    }

    /** As Docker records {@code --network container:NAME}: by the other container's ID, once it is found. */
    private ContainerSettings joinedById(ContainerSettings s) {
        String ref = s.networkMode().startsWith("container:") ? s.networkMode().substring("container:".length()) : "";
        if (ref.isEmpty()) {
            return s;
        }
        try {
            return s.withNetworkMode("container:" + registry.find(ref).id());
        } catch (EngineException.NotFound e) {
            return s; // looked up again when it starts
        }
    }

    /** The user namespace {@code c} runs in, whose ids its files carry on the host; null for the host's own. */
    public IdMap userNamespace(Container c) {
        return lifecycle.userNamespace(c);
    }

    /**
     * What {@code --network container:NAME} refuses, in Docker's words and order (moby validateNetContainerMode): the
     * settings the other container's namespace and files already decide.
     */
    private static void checkJoinedNetwork(ContainerSettings s) {
        if (s.networkMode() == null || !s.networkMode().startsWith("container:")) {
            return;
        }
        Networking net = s.net();
        String conflict = notEmpty(s.hostname()) ? "hostname and the network mode"
                : notEmpty(s.dns()) ? "dns and the network mode"
                : notEmpty(s.extraHosts()) ? "custom host-to-IP mapping and the network mode"
                : !net.portBindings().isEmpty() || net.publishAllPorts()
                        ? "port publishing and the container type network mode"
                : notEmpty(s.exposedPorts()) ? "port exposing and the container type network mode"
                : notEmpty(net.macAddress()) ? "mac-address and the network mode"
                : null;
        if (conflict != null) {
            throw new EngineException.InvalidArgument("conflicting options: " + conflict);
        }
    }

    private static boolean notEmpty(String value) {
        return value != null && !value.isEmpty();
    }

    private static boolean notEmpty(List<String> values) {
        return values != null && !values.isEmpty();
    }

    /** What a remapping daemon refuses, in Docker's words; {@code --userns host} lifts it. */
    private void checkUserNamespace(ContainerSettings s) {
        s.isolation().validate();
        if (config.usernsRemap().isEmpty() || s.isolation().hostUserns()) {
            return;
        }
        if (s.privileged()) {
            throw new EngineException.InvalidArgument("privileged mode is incompatible with user namespaces.  You must "
                    + "run the container in the host namespace when running privileged mode");
        }
        if ("host".equals(s.networkMode())) {
            throw new EngineException.InvalidArgument(
                    "cannot share the host's network namespace when user namespaces are enabled");
        }
        if (s.isolation().hostPid()) {
            throw new EngineException.InvalidArgument("cannot share the host PID namespace when user namespaces are enabled");
        }
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

    /**
     * Starts a created or exited container; attach sessions opened before start receive all its output. A start by the
     * user begins a new life for the restart policy: the restart count goes back to 0 and an earlier stop is forgotten.
     */
    public void start(String ref) {
        start(ref, List.of());
    }

    /**
     * Starts as {@link #start(String)}, with {@code extraEnv} added to the process's environment for this start only:
     * it is in no record the engine keeps (a build's secrets given as environment variables).
     */
    public void start(String ref, List<String> extraEnv) {
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
            try {
                startLocked(m, c.withRestartCount(0).withStoppedByUser(false), extraEnv);
                return;
            } catch (Lifecycle.StartFailure e) {
                failure = new EngineException.InvalidArgument(e.getMessage(), e);
            }
        } finally {
            m.op.unlock();
        }
        if (c.settings().autoRemove()) {
            remove(c.id(), true, true); // as Docker: a --rm container that cannot start does not stay behind
        }
        throw failure;
    }

    /** Starts the process of {@code c} (the caller holds the op lock); on failure records the exit and rethrows. */
    private void startLocked(Monitor m, Container c) throws Lifecycle.StartFailure {
        startLocked(m, c, List.of());
    }

    /** As Docker when it starts a container under {@code --network container:NAME}: the other's hostname and domain. */
    private Container withJoinedNames(Container c) {
        String mode = c.settings().networkMode();
        if (!mode.startsWith("container:")) {
            return c;
        }
        return registry.lookup(mode.substring("container:".length())).map(other -> c.withSettings(
                c.settings().withHostname(other.settings().hostname(), other.settings().domainname()))).orElse(c);
    }

    /** As above, the process's environment extended with {@code extraEnv}, which is not recorded. */
    private void startLocked(Monitor m, Container c, List<String> extraEnv) throws Lifecycle.StartFailure {
        List<PendingAttach> waiting;
        synchronized (m) {
            waiting = new ArrayList<>(m.pending);
            m.pending.clear();
        }
        try {
            c = withJoinedNames(c);
            Container started = c;
            if (!extraEnv.isEmpty()) {
                List<String> env = new ArrayList<>(c.settings().env() == null ? List.of() : c.settings().env());
                env.addAll(extraEnv);
                started = c.withSettings(c.settings().withEnv(env));
            }
            int pid = lifecycle.start(started, config.containerDir(c.id()), waiting);
            c = registry.update(c.withState(c.state().running(pid, clock.instant())));
        } catch (Lifecycle.StartFailure e) {
            registry.update(c.withState(c.state().failed(e.exitCode(), e.getMessage(), clock.instant())));
            waiting.forEach(PendingAttach::cancel);
            m.exited();
            throw e;
        }
        event(c, "start");
        watchHealth(m, c);
    }

    /** Starts probing a running container's health, if it has a check. */
    private void watchHealth(Monitor m, Container c) {
        Healthcheck check = c.settings().healthcheck();
        if (!HealthMonitor.probes(check)) {
            return;
        }
        String id = c.id();
        m.health = new HealthMonitor(check, c.state().startedAt(), timers,
                (argv, timeout, max) -> lifecycle.probe(id, argv, timeout, max), clock,
                h -> registry.byId(id).ifPresent(x -> event(x, "health_status: " + h.status())));
        m.health.start();
    }

    private static void stopHealth(Monitor m) {
        if (m.health != null) {
            m.health.stop();
        }
    }

    /** The health of a running container with a check: what inspect shows as {@code State.Health}. */
    public java.util.Optional<Health> health(String id) {
        Monitor m = monitors.get(id);
        HealthMonitor h = m == null ? null : m.health;
        return h == null ? java.util.Optional.empty() : java.util.Optional.of(h.health());
    }

    /**
     * Called when conmon reports that a container's process ended: records the exit and, when the restart policy says
     * so, schedules the next start after the back-off delay (the container is RESTARTING meanwhile).
     */
    public void onExit(String id, int exitCode, Instant when) {
        Monitor m = monitor(id);
        Container c;
        boolean restarting;
        m.op.lock();
        try {
            c = registry.byId(id).orElse(null);
            if (c == null || !(c.state().status() == Status.RUNNING || c.state().status() == Status.PAUSED)) {
                return;
            }
            stopHealth(m);
            lifecycle.stopped(c, config.containerDir(id));
            RestartPolicy policy = RestartPolicy.of(c.settings());
            restarting = !c.settings().autoRemove()
                    && policy.restartsAfterExit(exitCode, c.stoppedByUser(), c.restartCount());
            Instant started = c.state().startedAt();
            Duration ran = started == null ? Duration.ZERO : Duration.between(started, when);
            if (restarting) {
                c = registry.update(c.withRestartCount(c.restartCount() + 1)
                        .withState(c.state().restarting(exitCode, when)));
                Duration delay = m.backoff.next(ran);
                m.pendingRestart = timers.schedule(() -> Thread.ofVirtual().start(() -> restartByPolicy(id)),
                        delay.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                c = registry.update(c.withState(c.state().exited(exitCode, when)));
            }
            event(c, "die", Map.of("exitCode", Integer.toString(exitCode),
                    "execDuration", Long.toString(Math.max(0, ran.toSeconds()))));
        } finally {
            m.op.unlock();
        }
        m.exited();
        if (!restarting && c.settings().autoRemove()) {
            try {
                remove(id, true, true);
            } catch (EngineException e) {
                LOG.log(Level.WARNING, "auto-remove of container " + id + " failed", e);
            }
        }
    }

    /**
     * The restart policy's start: of a RESTARTING container whose back-off has passed, or, when the daemon starts, of
     * a stopped one the policy wants running. Anything the user did meanwhile (start, stop, remove) wins.
     */
    private void restartByPolicy(String id) {
        Monitor m = monitor(id);
        m.op.lock();
        try {
            Container c = registry.byId(id).orElse(null);
            if (c == null || !(c.state().status() == Status.RESTARTING || c.state().status() == Status.EXITED)) {
                return;
            }
            m.pendingRestart = null;
            // a start when the daemon starts is a new life, as a user's start is (Docker resets the restart manager)
            startLocked(m, c.state().status() == Status.EXITED ? c.withStoppedByUser(false) : c);
        } catch (Lifecycle.StartFailure e) {
            LOG.log(Level.WARNING, "restart policy could not start container " + id + ": " + e.getMessage());
        } catch (EngineException e) {
            LOG.log(Level.WARNING, "restart policy could not start container " + id, e);
        } finally {
            m.op.unlock();
        }
    }

    /**
     * Cancels the pending restart of a RESTARTING container, which then stays EXITED with its last exit code;
     * {@code byUser} remembers the user's stop for the restart policy. Returns false if it was not restarting.
     */
    private boolean cancelRestart(String id, boolean byUser) {
        Monitor m = monitor(id);
        m.op.lock();
        try {
            Container c = registry.byId(id).orElse(null);
            if (c == null || c.state().status() != Status.RESTARTING) {
                return false;
            }
            if (m.pendingRestart != null) {
                m.pendingRestart.cancel(false);
                m.pendingRestart = null;
            }
            registry.update(c.withStoppedByUser(byUser || c.stoppedByUser()).withState(c.state().stoppedWhileRestarting()));
            return true;
        } finally {
            m.op.unlock();
        }
    }

    /** Remembers that the user stopped the container, before the signal goes out, so its exit is not restarted. */
    private void markStoppedByUser(String id) {
        Monitor m = monitor(id);
        m.op.lock();
        try {
            registry.byId(id).filter(c -> !c.stoppedByUser()).ifPresent(c -> registry.update(c.withStoppedByUser(true)));
        } finally {
            m.op.unlock();
        }
    }

    /**
     * Reconciles records with reality after a daemon start: containers whose conmon still runs stay running; those that
     * exited meanwhile get their exit code and time (and their restart policy applies); directories without a record (a
     * crash mid-create) are removed, and what a crash in the middle of a start or an exit left of stopped containers
     * (a mount, a created runtime container and its conmon) is cleaned up. Then, as Docker does, containers whose
     * policy wants them running are started again: {@code always} ones, {@code unless-stopped} ones the user had not
     * stopped, {@code on-failure} ones that failed with retries left, and those the previous daemon was about to
     * restart.
     */
    public void recover() {
        for (Container c : registry.all()) {
            switch (c.state().status()) {
                case RUNNING, PAUSED -> {
                    Lifecycle.Exit exit = lifecycle.exitOf(c.id());
                    if (exit != null) {
                        onExit(c.id(), exit.code(), exit.when());
                    } else if (!lifecycle.isAlive(c.id())) {
                        onExit(c.id(), 255, clock.instant());
                    } else {
                        lifecycle.resumed(c, config.containerDir(c.id()));
                        Monitor m = monitor(c.id());
                        m.op.lock();
                        try {
                            registry.byId(c.id()).filter(x -> x.state().status() == Status.RUNNING)
                                    .ifPresent(x -> watchHealth(m, x));
                        } finally {
                            m.op.unlock();
                        }
                    }
                }
                case RESTARTING -> Thread.ofVirtual().start(() -> restartByPolicy(c.id()));
                case CREATED -> lifecycle.stopped(c, config.containerDir(c.id())); // a crash mid-start left a mount?
                case EXITED -> {
                    lifecycle.stopped(c, config.containerDir(c.id()));
                    if (c.hasBeenStarted() && RestartPolicy.of(c.settings())
                            .restartsOnDaemonStart(c.state().exitCode(), c.stoppedByUser(), c.restartCount())) {
                        Thread.ofVirtual().start(() -> restartByPolicy(c.id()));
                    }
                }
                default -> { }
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
        if (cancelRestart(c.id(), true)) {
            event(c, "stop");
            return;
        }
        if (!c.state().isRunning()) {
            throw new EngineException.NotModified("container already stopped");
        }
        markStoppedByUser(c.id());
        stopRunning(c, timeoutSeconds, signal);
        event(c, "stop");
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
            signal(c, sig);
            thawAfterSignal(c.id());
            if (timeout < 0) {
                m.awaitExitAfter(seen);
                return;
            }
            if (m.awaitExitAfter(seen, timeout * 1000L)) {
                return;
            }
            signal(c, Signals.SIGKILL);
            thawAfterSignal(c.id());
            if (!m.awaitExitAfter(seen, 30_000)) {
                throw new EngineException.Internal("container " + c.id() + " did not exit 30 seconds after SIGKILL", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Internal("interrupted while stopping container " + c.id(), e);
        }
    }

    private void signal(Container c, int sig) {
        lifecycle.kill(c.id(), sig);
        event(c, "kill", Map.of("signal", Integer.toString(sig)));
    }

    /**
     * Sends a signal. As in Docker, SIGKILL or the container's stop signal count as the user stopping it (its restart
     * policy will not start it again), other signals do not; a RESTARTING container just stays stopped.
     */
    public void kill(String ref, String signal) {
        Container c = registry.find(ref);
        int sig = Signals.parse(signal, Signals.SIGKILL);
        if (cancelRestart(c.id(), true)) {
            event(c, "kill", Map.of("signal", Integer.toString(sig)));
            return;
        }
        if (!c.state().isRunning()) {
            throw new EngineException.Conflict("cannot kill container: " + ref + ": container " + c.id() + " is not running");
        }
        if (sig == Signals.SIGKILL || sig == Signals.parse(c.settings().stopSignal(), Signals.SIGTERM)) {
            markStoppedByUser(c.id());
        }
        signal(c, sig);
        thawAfterSignal(c.id());
    }

    /**
     * Docker's order for a paused container that is stopped, killed or removed: the signal first, then the thaw, so
     * the signal is the first thing the processes see when they run again.
     */
    private void thawAfterSignal(String id) {
        Monitor m = monitor(id);
        m.op.lock();
        try {
            Container current = registry.byId(id).orElse(null);
            if (current != null && current.state().status() == Status.PAUSED) {
                lifecycle.resume(id);
                registry.update(current.withState(current.state().unpaused()));
            }
        } finally {
            m.op.unlock();
        }
    }

    public void restart(String ref, Integer timeoutSeconds, String signal) {
        Container c = registry.find(ref);
        if (!cancelRestart(c.id(), true) && c.state().isRunning()) {
            markStoppedByUser(c.id());
            stopRunning(c, timeoutSeconds, signal);
            event(c, "stop");
        }
        start(c.id());
        event(c, "restart");
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
        remove(ref, force, false);
    }

    /** Removes a container; {@code removeVolumes} (Docker's {@code rm -v}) removes its anonymous volumes too. */
    public void remove(String ref, boolean force, boolean removeVolumes) {
        Container c = registry.find(ref);
        if (c.state().status() == Status.RESTARTING) {
            if (!force) {
                throw new EngineException.Conflict("cannot remove container \"" + ref
                        + "\": container is restarting: stop the container before removing or force remove");
            }
            cancelRestart(c.id(), true);
        }
        if (registry.byId(c.id()).map(x -> x.state().isRunning()).orElse(false)) {
            if (!force) {
                throw new EngineException.Conflict("cannot remove container \"" + ref
                        + "\": container is running: stop the container before removing or force remove");
            }
            Monitor m = monitor(c.id());
            long seen;
            synchronized (m) {
                seen = m.exits;
            }
            markStoppedByUser(c.id());
            signal(c, Signals.SIGKILL);
            thawAfterSignal(c.id());
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
            stopHealth(m);
            registry.remove(c.id());
            lifecycle.discard(c.id(), config.containerDir(c.id()));
            volumes.release(current, removeVolumes);
        } finally {
            m.op.unlock();
        }
        event(c, "destroy");
        List<PendingAttach> waiting;
        synchronized (m) {
            waiting = new ArrayList<>(m.pending);
            m.pending.clear();
        }
        waiting.forEach(PendingAttach::cancel);
        m.markRemoved();
        monitors.remove(c.id());
        execs.values().removeIf(e -> e.containerId().equals(c.id()));
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

    /** The client's ends of an attach session. */
    public record AttachStreams(InputStream stdin, OutputSink sink) {}

    /**
     * Attaches to a container's stdio until its process exits, the client detaches with the detach keys, or the client
     * goes away; on a created container the session waits for start. {@code connect} tells
     * the client it is attached (the daemon answers the HTTP upgrade) and gives its streams; it runs under the
     * container's lock, once the session is registered, so a start the client sends next cannot run before the session
     * is there to receive the first bytes of output.
     */
    public void attach(String ref, AttachOptions options, java.util.function.Supplier<AttachStreams> connect)
            throws IOException {
        Container c = registry.find(ref);
        Monitor m = monitor(c.id());
        PendingAttach pending = null;
        AttachStreams streams;
        m.op.lock();
        try {
            Container current = registry.byId(c.id()).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
            streams = connect.get();
            if (!current.state().isRunning()) {
                pending = new PendingAttach(options, streams.stdin(), streams.sink());
                synchronized (m) {
                    m.pending.add(pending);
                }
            }
        } finally {
            m.op.unlock();
        }
        event(c, "attach");
        if (pending != null) {
            pending.awaitEnd();
            return;
        }
        lifecycle.attach(c, options, streams.stdin(), streams.sink());
    }

    public void resize(String ref, int height, int width) {
        Container c = registry.find(ref);
        if (!c.state().isRunning()) {
            throw new EngineException.Conflict("Container " + c.id() + " is not running");
        }
        lifecycle.resize(c.id(), height, width);
        event(c, "resize", Map.of("height", Integer.toString(height), "width", Integer.toString(width)));
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
        event(c, "export");
    }

    /**
     * Runs {@code work} on the container's mounted root filesystem, under the container's lock so that a start or stop
     * cannot mount or unmount it meanwhile; {@code action} is the event emitted after (e.g. "archive-path").
     */
    public <T> T withRootfs(String ref, String action, Lifecycle.RootfsWork<T> work) throws IOException {
        Container c = registry.find(ref);
        Monitor m = monitor(c.id());
        T result;
        m.op.lock();
        try {
            Container current = registry.byId(c.id()).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
            result = lifecycle.withRootfs(current, work);
        } finally {
            m.op.unlock();
        }
        event(c, action);
        return result;
    }

    // ---- exec -------------------------------------------------------------------------------------------------------

    /** Exited exec instances stay inspectable this long (the CLI reads the exit code right after the stream ends). */
    private static final java.time.Duration EXEC_RETENTION = java.time.Duration.ofMinutes(5);
    private final Map<String, ExecSession> execs = new ConcurrentHashMap<>();

    /** Docker's refusals for exec into a container that is not running, paused or restarting. */
    private static void requireExecutable(Container c) {
        switch (c.state().status()) {
            case RUNNING -> { }
            case PAUSED -> throw new EngineException.Conflict("Container " + c.id()
                    + " is paused, unpause the container before exec");
            case RESTARTING -> throw new EngineException.Conflict("Container " + c.id()
                    + " is restarting, wait until the container is running");
            default -> throw new EngineException.Conflict("container " + c.id() + " is not running");
        }
    }

    /** {@code POST /containers/{id}/exec}: records an exec instance to start later. */
    public ExecSession execCreate(String ref, ExecConfig config) {
        Container c = registry.find(ref);
        requireExecutable(c);
        if (config.cmd().isEmpty()) {
            throw new EngineException.InvalidArgument("No exec command specified");
        }
        if (!config.workingDir().isEmpty() && !config.workingDir().startsWith("/")) {
            throw new EngineException.InvalidArgument("the working directory '" + config.workingDir()
                    + "' is invalid, it needs to be an absolute path");
        }
        AttachOptions.parseDetachKeys(config.detachKeys()); // refuses a bad sequence now, not at start
        Instant horizon = clock.instant().minus(EXEC_RETENTION);
        execs.values().removeIf(e -> e.exitedAt() != null && e.exitedAt().isBefore(horizon));
        ExecSession session = new ExecSession(names.newId(), c.id(), config);
        execs.put(session.id(), session);
        event(c, "exec_create: " + String.join(" ", config.cmd()), Map.of("execID", session.id()));
        return session;
    }

    /** An exec instance by its full ID, or Docker's 404. */
    public ExecSession execInspect(String execId) {
        ExecSession session = execId == null ? null : execs.get(execId);
        if (session == null) {
            throw new EngineException.NotFound("No such exec instance: " + execId);
        }
        return session;
    }

    /** The exec instances of a container that have not ended, for inspect's ExecIDs. */
    public List<String> execIds(String containerId) {
        return execs.values().stream().filter(e -> e.containerId().equals(containerId) && e.exitCode() == null)
                .map(ExecSession::id).toList();
    }

    /**
     * {@code POST /exec/{id}/start}: runs the process. Detached, returns once it runs; attached, copies its stdio until
     * it exits (the exit code is recorded before this returns, since clients read it right after the stream ends) or
     * the client detaches with the detach keys.
     *
     * @throws EngineException.InvalidArgument when the process cannot start (exit code 127 or 126 recorded)
     */
    public void execStart(String execId, boolean detach, InputStream stdin, OutputSink sink) {
        ExecSession session = execInspect(execId);
        Container c = registry.byId(session.containerId())
                .orElseThrow(() -> new EngineException.NotFound("No such container: " + session.containerId()));
        requireExecutable(c);
        session.claimStart();
        ExecConfig config = session.config();
        Lifecycle.RunningExec process;
        try {
            process = lifecycle.exec(c, session.id(), config, !detach);
        } catch (Lifecycle.StartFailure e) {
            session.exited(e.exitCode(), clock.instant());
            throw new EngineException.InvalidArgument(e.getMessage(), e);
        }
        session.ran(process);
        event(c, "exec_start: " + String.join(" ", config.cmd()), Map.of("execID", session.id()));
        Thread.ofPlatform().daemon().name("exec-exit-" + c.shortId()).start(() -> {
            try (process) {
                int code = process.awaitExit();
                session.exited(code, clock.instant());
                event(c, "exec_die", Map.of("execID", session.id(), "exitCode", Integer.toString(code)));
            }
        });
        if (detach) {
            return;
        }
        boolean detached = process.pump(config.attachStdin() ? stdin : null, sink,
                AttachOptions.parseDetachKeys(config.detachKeys()));
        if (!detached) {
            try {
                session.awaitExit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code POST /exec/{id}/resize}: the exec's terminal size. */
    public void execResize(String execId, int height, int width) {
        ExecSession session = execInspect(execId);
        Lifecycle.RunningExec process = session.process();
        if (process == null) {
            throw new EngineException.Conflict("Exec " + execId + " is not running");
        }
        process.resize(height, width);
    }

    // ---- pause / unpause / top / stats / update / rename --------------------------------------------------------------

    /** Freezes the container's processes (the freezer cgroup); running → paused. */
    public void pause(String ref) {
        Container c = registry.find(ref);
        Monitor m = monitor(c.id());
        m.op.lock();
        try {
            c = registry.byId(c.id()).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
            switch (c.state().status()) {
                case RUNNING -> { }
                case PAUSED -> throw new EngineException.Conflict("container " + c.id() + " is already paused");
                case RESTARTING -> throw new EngineException.Conflict("Container " + c.id()
                        + " is restarting, wait until the container is running");
                default -> throw new EngineException.Conflict("container " + c.id() + " is not running");
            }
            lifecycle.pause(c.id());
            registry.update(c.withState(c.state().paused()));
            event(c, "pause");
        } finally {
            m.op.unlock();
        }
    }

    /** Thaws a paused container; paused → running. */
    public void unpause(String ref) {
        Container c = registry.find(ref);
        Monitor m = monitor(c.id());
        m.op.lock();
        try {
            c = registry.byId(c.id()).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
            if (c.state().status() != Status.PAUSED) {
                throw new EngineException.Conflict("Container " + c.id() + " is not paused");
            }
            lifecycle.resume(c.id());
            registry.update(c.withState(c.state().unpaused()));
            event(c, "unpause");
        } finally {
            m.op.unlock();
        }
    }

    /** {@code docker top}: ps over the processes of a running (or paused) container. */
    public TopResult top(String ref, String psArgs) {
        Container c = registry.find(ref);
        if (!c.state().isRunning()) {
            throw new EngineException.Conflict("container " + c.id() + " is not running");
        }
        if (c.state().status() == Status.RESTARTING) {
            throw new EngineException.Conflict("Container " + c.id() + " is restarting, wait until the container is running");
        }
        return lifecycle.top(c.id(), psArgs);
    }

    /** A reading of the container's resource usage; empty when it does not run. */
    public java.util.Optional<StatsReading> stats(String ref) {
        Container c = registry.find(ref);
        if (!c.state().isRunning()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(lifecycle.stats(c));
        } catch (EngineException e) {
            // The process may have exited between the check and the read: then it has no usage any more.
            if (registry.byId(c.id()).map(x -> x.state().isRunning()).orElse(false)) {
                throw e;
            }
            return java.util.Optional.empty();
        }
    }

    /**
     * What {@code docker update} changes; null leaves a value as it is.
     *
     * @param memory    bytes; 0 removes the limit
     * @param nanoCpus  billionths of a CPU; 0 removes the limit
     * @param pidsLimit 0 or less removes the limit
     */
    public record Update(Long memory, Long nanoCpus, Long pidsLimit, String restartPolicy, Integer restartMaxRetries) {}

    /** The minimum memory limit Docker accepts (linuxMinMemory). */
    private static final long MIN_MEMORY = 6L * 1024 * 1024;

    /** Applies new limits (to the cgroup too when the container runs) and a new restart policy; returns warnings. */
    public List<String> update(String ref, Update u) {
        Container c = registry.find(ref);
        if (u.memory() != null && u.memory() > 0 && u.memory() < MIN_MEMORY) {
            throw new EngineException.InvalidArgument("Minimum memory limit allowed is 6MB");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (u.nanoCpus() != null && u.nanoCpus() != 0
                && (u.nanoCpus() < 10_000_000L || u.nanoCpus() > cpus * 1_000_000_000L)) {
            throw new EngineException.InvalidArgument("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only "
                    + cpus + " CPUs available");
        }
        String policy = c.settings().restartPolicy();
        int retries = c.settings().restartMaxRetries();
        if (u.restartPolicy() != null && !u.restartPolicy().isEmpty()) {
            if (!List.of("no", "always", "unless-stopped", "on-failure").contains(u.restartPolicy())) {
                throw new EngineException.InvalidArgument("invalid restart policy '" + u.restartPolicy() + "'");
            }
            if (c.settings().autoRemove() && !u.restartPolicy().equals("no")) {
                throw new EngineException.InvalidArgument(
                        "Restart policy cannot be updated because AutoRemove is enabled for the container");
            }
            int max = u.restartMaxRetries() == null ? 0 : u.restartMaxRetries();
            if (max < 0) {
                throw new EngineException.InvalidArgument("invalid restart policy: maximum retry count cannot be negative");
            }
            if (max > 0 && !u.restartPolicy().equals("on-failure")) {
                throw new EngineException.InvalidArgument("invalid restart policy: maximum retry count can only be used with 'on-failure'");
            }
            policy = u.restartPolicy();
            retries = max;
        }
        Monitor m = monitor(c.id());
        m.op.lock();
        try {
            Container current = registry.byId(c.id()).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
            ContainerSettings s = current.settings();
            if (current.state().isRunning() && (u.memory() != null || u.nanoCpus() != null || u.pidsLimit() != null)) {
                lifecycle.update(current.id(), u.memory(), u.nanoCpus(), u.pidsLimit());
            }
            registry.update(current.withSettings(s.withUpdate(u.memory() != null ? u.memory() : s.memory(),
                    u.nanoCpus() != null ? u.nanoCpus() : s.nanoCpus(),
                    u.pidsLimit() != null ? (u.pidsLimit() > 0 ? u.pidsLimit() : null) : s.pidsLimit(), policy, retries)));
        } finally {
            m.op.unlock();
        }
        return List.of();
    }

    /** Gives the container a new name; Docker's errors for an empty, invalid, unchanged or taken name. */
    public void rename(String ref, String newName) {
        if (ref == null || ref.isEmpty() || newName == null || newName.isEmpty()) {
            throw new EngineException.InvalidArgument("Neither old nor new names may be empty");
        }
        Container c = registry.find(ref);
        String name = newName.startsWith("/") ? newName.substring(1) : newName;
        if (c.name().equals(name)) {
            throw new EngineException.InvalidArgument("Renaming a container with the same name as its current name");
        }
        if (!Names.VALID.matcher(name).matches()) {
            throw new EngineException.InvalidArgument("Error when allocating new name: Invalid container name (/" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        Monitor m = monitor(c.id());
        m.op.lock();
        try {
            Container current = registry.byId(c.id()).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
            registry.lookupByName(name).ifPresent(other -> {
                throw new EngineException.Conflict("Error when allocating new name: "
                        + ContainerRegistry.nameConflict(name, other.id()).getMessage());
            });
            try {
                registry.update(current.withName(name));
                event(current.withName(name), "rename", Map.of("oldName", "/" + current.name()));
            } catch (EngineException.Conflict e) {
                throw new EngineException.Conflict("Error when allocating new name: " + e.getMessage());
            }
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
        timers.shutdownNow();
        lifecycle.close();
    }
}
