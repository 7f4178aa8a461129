package dev.berth.engine.containers;

import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.UsernsRemap;
import dev.berth.linux.IdMap;
import dev.berth.linux.UserNamespaces;
import dev.berth.runtime.Attach;
import dev.berth.runtime.CgroupStats;
import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.CreateOptions;
import dev.berth.runtime.ExecProcess;
import dev.berth.runtime.ExecSpec;
import dev.berth.runtime.ExitWatcher;
import dev.berth.runtime.LogEntry;
import dev.berth.runtime.LogFiles;
import dev.berth.runtime.LogPolicy;
import dev.berth.runtime.LogQuery;
import dev.berth.runtime.LogReader;
import dev.berth.runtime.LogStream;
import dev.berth.runtime.LogWatcher;
import dev.berth.runtime.NamespaceOptions;
import dev.berth.runtime.OciRuntimeException;
import dev.berth.runtime.OciSpec;
import dev.berth.runtime.ProbeExec;
import dev.berth.runtime.ProcessTable;
import dev.berth.runtime.ScopedPath;
import dev.berth.runtime.StatsSample;
import dev.berth.runtime.UserLookupException;
import dev.berth.runtime.UserResolver;
import dev.berth.store.OverlaySnapshotter;
import dev.berth.store.TreeTar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The real {@link Lifecycle}: an overlay snapshot per container ({@code <dir>/upper}, {@code work}, {@code merged}),
 * the OCI bundle in {@code <dir>/bundle}, the log in {@code <dir>/ctr.log}, and conmon + runc (or crun) through
 * {@link ContainerRuntime}. The overlay stays mounted while the container runs, so a container survives a daemon
 * restart with its filesystem; it is unmounted when the process has ended.
 */
public final class RuncLifecycle implements Lifecycle {
    private static final Logger LOG = Logger.getLogger(RuncLifecycle.class.getName());
    /** Docker's timestamps: RFC 3339 with nanoseconds, always nine digits. */
    private static final DateTimeFormatter LOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    /** Where Docker mounts its init (docker-init) in a container run with --init. */
    private static final String INIT_PATH = "/sbin/docker-init";

    private final DaemonConfig config;
    private final OverlaySnapshotter snapshots;
    private final ContainerRuntime runtime;
    private final CgroupStats cgroups = new CgroupStats();
    private final LogWatcher logWatcher;
    private final IdMap remap;
    private final ContainerNetworking networking;
    private ExitWatcher exits;

    public RuncLifecycle(DaemonConfig config, OverlaySnapshotter snapshots, ContainerNetworking networking) {
        this.config = config;
        this.snapshots = snapshots;
        this.networking = networking;
        this.runtime = new ContainerRuntime(config.execRoot());
        try {
            this.logWatcher = new LogWatcher();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch container logs", e);
        }
        try {
            this.remap = UsernsRemap.resolve(config.usernsRemap(), Path.of("/etc")).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The user namespace of {@code c}: the daemon's remapping unless it runs with {@code --userns host}; null for none. */
    @Override
    public IdMap userNamespace(Container c) {
        return userns(c);
    }

    private IdMap userns(Container c) {
        return remap == null || c.settings().isolation().hostUserns() ? null : remap;
    }

    /**
     * Gives the container's root the files Berth bind-mounts into it, and lets it reach them and its root file system:
     * its root is an unprivileged host uid, which must traverse the data root to them.
     */
    private void shareWith(IdMap map, Path dir) throws IOException {
        for (String file : List.of("hostname", "hosts", "resolv.conf")) {
            Path path = dir.resolve(file);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                map.giveToRoot(path);
            }
        }
        for (Path p = dir; p != null && p.startsWith(config.dataRoot()); p = p.getParent()) {
            Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
            if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static LogFiles logFiles(Path dir) {
        return new LogFiles(dir.resolve("ctr.log"));
    }

    private static LogPolicy logPolicy(Container c) {
        return LogDrivers.policy(c.settings().logDriver(), c.settings().logOptions());
    }

    @Override
    public void prepare(Container c, Path dir) throws IOException {
        networking.join(c);
        snapshots.prepare(dir);
        EtcFiles.write(dir, c.settings());
    }

    @Override
    public int start(Container c, Path dir, List<PendingAttach> attaches) throws StartFailure {
        String id = c.id();
        ContainerSettings s = c.settings();
        IdMap userns = userns(c);
        Path usernsFile = userns == null ? null : usernsFile(id);
        if (userns != null) {
            try {
                UserNamespaces.create(usernsFile, userns);
            } catch (IOException e) {
                throw new StartFailure("cannot create the user namespace of container " + id + ": " + e.getMessage(),
                        125, e);
            }
        }
        ContainerNetworking.Setup net;
        try {
            net = networking.setUp(c, usernsFile);
        } catch (StartFailure e) {
            removeUserNamespace(id);
            throw e;
        }
        try {
            // as Docker's --network container:NAME, the other container's files
            Path etcDir = net.joined() == null ? dir : config.containerDir(net.joined().id());
            if (net.joined() == null) {
                EtcFiles.write(dir, s, net);
            }
            Path rootfs = snapshots.mount(c.layers(), dir, userns);
            if (userns != null) {
                shareWith(userns, dir);
            }
            ContainerSpec spec = spec(c, rootfs, etcDir, net.mode());
            Path bundle = dir.resolve("bundle");
            Isolation iso = s.isolation();
            OciSpec.write(spec, new NamespaceOptions(iso.hostPid(), iso.hostIpc(), iso.hostUts(), userns, usernsFile,
                    iso.noNewPrivileges()), bundle);
            String runtimeName = s.runtime() == null || s.runtime().isEmpty() ? config.defaultRuntime() : s.runtime();
            LogPolicy logPolicy = logPolicy(c);
            if (logPolicy.enabled()) {
                logFiles(dir).beforeStart(logPolicy);
                logWatcher.track(logFiles(dir), logPolicy);
            }
            // As in Docker, StdinOnce closes the container's stdin only without a terminal: a terminal session can
            // detach and attach again.
            long pid = runtime.create(id, bundle, new CreateOptions(s.tty(), s.openStdin(), s.stdinOnce() && !s.tty(),
                    dir.resolve("ctr.log"), runtimeName, logPolicy));
            exits.watch(id);
            for (PendingAttach p : attaches) {
                Attach session = runtime.attach(id);
                Thread.ofPlatform().daemon().name("attach-" + c.shortId()).start(() -> {
                    try {
                        pump(c, session, p.options(), p.stdin(), p.sink());
                    } finally {
                        p.finished();
                    }
                });
            }
            net.awaitReady();
            runtime.start(id);
            return (int) pid;
        } catch (OciRuntimeException e) {
            cleanUpFailedStart(id, dir);
            throw new StartFailure(e.getMessage(), e.kind().exitCode(), e);
        } catch (UserLookupException e) {
            cleanUpFailedStart(id, dir);
            throw new StartFailure(e.getMessage(), 125, e);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            cleanUpFailedStart(id, dir);
            throw new StartFailure("failed to start container " + id + ": " + e.getMessage(), 125, e);
        }
    }

    private void cleanUpFailedStart(String id, Path dir) {
        if (exits != null) {
            exits.forget(id);
        }
        networking.tearDown(id);
        removeUserNamespace(id);
        logWatcher.untrack(logFiles(dir));
        try {
            runtime.delete(id, true);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove container " + id + " from the runtime after a failed start", e);
        }
        unmountQuietly(dir);
    }

    /** What the engine decided, in the runtime's terms. */
    private ContainerSpec spec(Container c, Path rootfs, Path etcDir, ContainerSpec.NetworkMode network)
            throws IOException, UserLookupException {
        ContainerSettings s = c.settings();
        UserResolver.ResolvedUser user = UserResolver.resolve(rootfs, s.user());
        String cwd = s.workingDir() == null || s.workingDir().isEmpty() ? "/" : s.workingDir();
        if (cwd.startsWith("/")) {
            // Docker creates a missing working directory; ScopedPath keeps symlinks in the image from leading outside.
            Files.createDirectories(ScopedPath.resolve(rootfs, cwd));
        }
        List<ContainerSpec.Mount> mounts = new ArrayList<>(List.of(
                new ContainerSpec.BindMount(etcDir.resolve("hostname"), "/etc/hostname", false),
                new ContainerSpec.BindMount(etcDir.resolve("hosts"), "/etc/hosts", false),
                new ContainerSpec.BindMount(etcDir.resolve("resolv.conf"), "/etc/resolv.conf", false)));
        List<String> argv = s.argv();
        if (s.init() != null ? s.init() : config.init()) {
            // As Docker's --init: the init binary, mounted read-only where Docker puts docker-init, runs as PID 1,
            // reaps zombies and forwards signals to the command it starts.
            if (!Files.isRegularFile(config.initPath())) {
                throw new IOException("exec: \"docker-init\": the init binary " + config.initPath() + " is not installed");
            }
            mounts.add(new ContainerSpec.BindMount(config.initPath(), INIT_PATH, true));
            List<String> withInit = new ArrayList<>(List.of(INIT_PATH, "--"));
            withInit.addAll(argv);
            argv = withInit;
        }
        mounts.addAll(VolumeMounts.prepare(rootfs, s.mounts().resolved(), userns(c)));
        ContainerSpec.ProcessUser processUser = user.processUser();
        if (s.groupAdd() != null && !s.groupAdd().isEmpty()) {
            List<Integer> gids = new ArrayList<>(processUser.additionalGids());
            gids.addAll(UserResolver.groupIds(rootfs, s.groupAdd()));
            processUser = new ContainerSpec.ProcessUser(processUser.uid(), processUser.gid(), gids);
        }
        Set<String> capAdd = new HashSet<>(s.capAdd() == null ? List.of() : s.capAdd());
        Set<String> capDrop = new HashSet<>(s.capDrop() == null ? List.of() : s.capDrop());
        long pids = s.pidsLimit() == null || s.pidsLimit() <= 0 ? 0 : s.pidsLimit();
        return ContainerSpec.of(c.id(), rootfs, argv)
                .withEnv(s.env())
                .withUser(processUser)
                .withTerminal(s.tty(), s.openStdin())
                .withNetwork(network)
                .withMounts(mounts)
                .withSecurity(s.privileged(), capAdd, capDrop, s.readonlyRootfs())
                .withLimits(new ContainerSpec.Resources(s.memory(), s.nanoCpus(), pids), s.shmSize(), List.of(),
                        s.sysctls() == null ? Map.of() : s.sysctls())
                .withProcess(cwd, s.hostname(), "/berth/" + c.id());
    }

    @Override
    public void resumed(Container c, Path dir) {
        LogPolicy policy = logPolicy(c);
        if (policy.enabled()) {
            try {
                logWatcher.track(logFiles(dir), policy);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot watch the log of container " + c.id(), e);
            }
        }
    }

    @Override
    public void stopped(Container c, Path dir) {
        logWatcher.untrack(logFiles(dir));
        try {
            runtime.delete(c.id(), true);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove stopped container " + c.id() + " from the runtime", e);
        }
        networking.tearDown(c.id());
        removeUserNamespace(c.id());
        unmountQuietly(dir);
    }

    @Override
    public void discard(String id, Path dir) {
        if (exits != null) {
            exits.forget(id);
        }
        logWatcher.untrack(logFiles(dir));
        try {
            runtime.delete(id, true);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove container " + id + " from the runtime", e);
        }
        networking.forget(id);
        removeUserNamespace(id);
        try {
            snapshots.remove(dir);
            deleteTree(dir);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove the files of container " + id, e);
        }
    }

    /** {@code <exec root>/userns/<id>}: the user namespace of a running container in one, kept by a bind mount. */
    private Path usernsFile(String id) {
        return config.execRoot().resolve("userns").resolve(id);
    }

    private void removeUserNamespace(String id) {
        if (remap != null) {
            try {
                UserNamespaces.remove(usernsFile(id));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove the user namespace of container " + id, e);
            }
        }
    }

    private void unmountQuietly(Path dir) {
        try {
            snapshots.unmount(dir);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot unmount " + dir, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void kill(String id, int signal) {
        try {
            runtime.kill(id, signal);
        } catch (IOException e) {
            throw new EngineException.Internal("Cannot kill container: " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Exit exitOf(String id) {
        try {
            return runtime.exitStatus(id).map(e -> new Exit(e.exitCode(), e.finishedAt())).orElse(null);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the exit of container " + id, e);
            return null;
        }
    }

    @Override
    public boolean isAlive(String id) {
        try {
            return runtime.conmonAlive(id);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void logs(Container c, Path dir, LogOptions options, OutputSink sink, BooleanSupplier running)
            throws IOException {
        LogDrivers.requireReadable(c.settings());
        Set<LogStream> streams = EnumSet.noneOf(LogStream.class);
        if (options.stdout()) {
            streams.add(LogStream.STDOUT);
        }
        if (options.stderr()) {
            streams.add(LogStream.STDERR);
        }
        LogQuery query = new LogQuery(streams, options.tail(), Optional.ofNullable(options.since()),
                Optional.ofNullable(options.until()));
        byte[] details = options.details()
                ? (LogDrivers.attributes(c.settings().logOptions(), c.settings().labels(), c.settings().env()) + " ")
                        .getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        LogReader.Sink out = new LogReader.Sink() {
            @Override
            public boolean accept(LogEntry entry) throws IOException {
                write(sink, entry, options.timestamps(), details);
                return true;
            }

            @Override
            public void flush() throws IOException {
                sink.flush();
            }
        };
        LogFiles files = logFiles(dir);
        if (!options.follow()) {
            LogReader.read(files, query, out);
            return;
        }
        try {
            LogReader.follow(files, query, logWatcher, running, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Docker's order: the timestamp, then the details' attributes, then the line. */
    private static void write(OutputSink sink, LogEntry entry, boolean timestamps, byte[] details) throws IOException {
        OutputSink.Stream stream = entry.stream() == LogStream.STDERR ? OutputSink.Stream.STDERR : OutputSink.Stream.STDOUT;
        byte[] prefix = timestamps ? (LOG_TIME.format(entry.time()) + " ").getBytes(StandardCharsets.US_ASCII) : new byte[0];
        byte[] data = entry.content();
        byte[] all = new byte[prefix.length + details.length + data.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(details, 0, all, prefix.length, details.length);
        System.arraycopy(data, 0, all, prefix.length + details.length, data.length);
        sink.write(stream, all, 0, all.length);
    }

    @Override
    public void attach(Container c, AttachOptions options, InputStream stdin, OutputSink sink) throws IOException {
        Attach session = runtime.attach(c.id());
        Thread reader = Thread.ofPlatform().daemon().name("attach-" + c.shortId())
                .start(() -> pump(c, session, options, stdin, sink));
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(session);
        }
    }

    /**
     * Copies the container's output to the client until the output ends, the client detaches or goes away; meanwhile a
     * virtual thread copies the client's stdin to the container. As in Docker, the detach keys are recognised only with a
     * terminal; when the client closes stdin, the container's stdin is closed if it was created with {@code StdinOnce},
     * otherwise the session ends.
     */
    private static void pump(Container c, Attach session, AttachOptions options, InputStream stdin, OutputSink sink) {
        ContainerSettings s = c.settings();
        if (options.stdin()) {
            Thread.ofVirtual().start(() -> {
                try (OutputStream in = session.stdin()) {
                    boolean detached = s.tty() ? DetachKeys.copy(stdin, in, options.detachKeys()) : copy(stdin, in);
                    if (detached || !s.stdinOnce()) {
                        closeQuietly(session);
                    }
                } catch (IOException e) {
                    closeQuietly(session); // the client or the container went away
                }
            });
        }
        try (session) {
            Optional<Attach.Chunk> chunk;
            while ((chunk = session.read()).isPresent()) {
                OutputSink.Stream stream = chunk.get().stream() == LogStream.STDERR
                        ? OutputSink.Stream.STDERR : OutputSink.Stream.STDOUT;
                byte[] data = chunk.get().data();
                sink.write(stream, data, 0, data.length);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "attach to " + c.id() + " ended", e);
        }
    }

    private static boolean copy(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = from.read(buffer)) >= 0) {
            to.write(buffer, 0, n);
        }
        return false;
    }

    private static void closeQuietly(Attach session) {
        try {
            session.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public RunningExec exec(Container c, String execId, ExecConfig request, boolean attached) throws StartFailure {
        ContainerSettings s = c.settings();
        Path rootfs = config.containerDir(c.id()).resolve("merged");
        String user = request.user().isEmpty() ? s.user() : request.user();
        String cwd = !request.workingDir().isEmpty() ? request.workingDir()
                : s.workingDir() == null || s.workingDir().isEmpty() ? "/" : s.workingDir();
        ExecProcess process;
        try {
            UserResolver.ResolvedUser resolved = UserResolver.resolve(rootfs, user);
            ExecSpec spec = new ExecSpec(request.cmd(), ExecConfig.environment(s, request.env(), request.tty()), cwd,
                    resolved.processUser(), request.tty(), request.attachStdin(), request.privileged(),
                    request.consoleSize().isEmpty() ? 0 : request.consoleSize().get(0),
                    request.consoleSize().isEmpty() ? 0 : request.consoleSize().get(1));
            process = runtime.exec(c.id(), execId, spec, attached);
        } catch (OciRuntimeException e) {
            throw new StartFailure(e.getMessage(), e.kind().exitCode(), e);
        } catch (UserLookupException e) {
            throw new StartFailure(e.getMessage(), 126, e);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new StartFailure("exec failed: " + e.getMessage(), 126, e);
        }
        return new ConmonExec(c.shortId(), process, request.tty());
    }

    /** An exec'd process held by its own conmon. */
    private static final class ConmonExec implements RunningExec {
        private final String name;
        private final ExecProcess process;
        private final boolean tty;

        ConmonExec(String name, ExecProcess process, boolean tty) {
            this.name = name;
            this.process = process;
            this.tty = tty;
        }

        @Override
        public int pid() {
            return (int) process.pid();
        }

        @Override
        public boolean pump(InputStream stdin, OutputSink sink, byte[] detachKeys) {
            Attach session = process.attach().orElseThrow(() -> new IllegalStateException("exec started detached"));
            java.util.concurrent.atomic.AtomicBoolean detached = new java.util.concurrent.atomic.AtomicBoolean();
            if (stdin != null) {
                // The end of the client's input closes the process's stdin only; its output keeps flowing.
                Thread.ofVirtual().start(() -> {
                    try (OutputStream in = session.stdin()) {
                        if (tty && DetachKeys.copy(stdin, in, detachKeys)) {
                            detached.set(true);
                            closeQuietly(session);
                        } else if (!tty) {
                            copy(stdin, in);
                        }
                    } catch (IOException e) {
                        // the process or the client went away
                    }
                });
            }
            Thread reader = Thread.ofPlatform().daemon().name("exec-" + name).start(() -> {
                try (session) {
                    Optional<Attach.Chunk> chunk;
                    while ((chunk = session.read()).isPresent()) {
                        OutputSink.Stream stream = chunk.get().stream() == LogStream.STDERR
                                ? OutputSink.Stream.STDERR : OutputSink.Stream.STDOUT;
                        byte[] data = chunk.get().data();
                        sink.write(stream, data, 0, data.length);
                    }
                } catch (IOException e) {
                    LOG.log(Level.FINE, "exec output of " + name + " ended", e);
                }
            });
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(session);
            }
            return detached.get();
        }

        @Override
        public int awaitExit() {
            try {
                return process.awaitExit();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot read the exit of an exec process in " + name, e);
                return 255;
            }
        }

        @Override
        public void resize(int height, int width) {
            try {
                process.resize(height, width);
            } catch (IOException | IllegalArgumentException e) {
                throw new EngineException.InvalidArgument(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                process.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove the files of an exec process in " + name, e);
            }
        }
    }

    @Override
    public void pause(String id) {
        try {
            runtime.pause(id);
        } catch (IOException e) {
            throw new EngineException.Internal("Cannot pause container " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void resume(String id) {
        try {
            runtime.resume(id);
        } catch (IOException e) {
            throw new EngineException.Internal("Cannot unpause container " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public TopResult top(String id, String psArgs) {
        try {
            ProcessTable.Table table = ProcessTable.top(psArgs, new HashSet<>(runtime.pids(id)));
            return new TopResult(table.titles(), table.processes());
        } catch (ProcessTable.PsException e) {
            throw new EngineException.Internal(e.getMessage(), e);
        } catch (IOException e) {
            throw new EngineException.Internal("ps: " + e.getMessage(), e);
        }
    }

    @Override
    public StatsReading stats(Container c) {
        try {
            StatsSample s = cgroups.read(c.state().pid());
            return new StatsReading(s.read(), s.cpuTotalNanos(), s.perCpuNanos(), s.cpuKernelNanos(), s.cpuUserNanos(),
                    s.systemCpuNanos(), s.onlineCpus(), s.throttlingPeriods(), s.throttledPeriods(),
                    s.throttledTimeNanos(), s.memoryUsage(), s.memoryMaxUsage(), s.memoryFailcnt(), s.memoryLimit(),
                    s.memoryStats(), s.pidsCurrent(), s.pidsLimit(),
                    s.ioServiceBytes().stream().map(b -> new StatsReading.Blkio(b.major(), b.minor(), b.op(), b.value()))
                            .toList(),
                    s.networks().entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                            e -> {
                                StatsSample.NetworkCounters n = e.getValue();
                                return new StatsReading.Network(n.rxBytes(), n.rxPackets(), n.rxErrors(), n.rxDropped(),
                                        n.txBytes(), n.txPackets(), n.txErrors(), n.txDropped());
                            })));
        } catch (IOException e) {
            throw new EngineException.Internal("cannot read the resource usage of container " + c.id() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void update(String id, Long memoryBytes, Long nanoCpus, Long pidsLimit) {
        try {
            runtime.update(id, memoryBytes, nanoCpus, pidsLimit);
        } catch (IOException e) {
            throw new EngineException.Internal("Cannot update container " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void resize(String id, int height, int width) {
        try {
            runtime.resize(id, height, width);
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException.InvalidArgument(e.getMessage(), e);
        }
    }

    @Override
    public ProbeResult probe(String id, List<String> argv, java.time.Duration timeout, int maxOutput) throws IOException {
        try {
            ProbeExec.Result r = ProbeExec.run(runtime, id, argv, timeout, maxOutput);
            return new ProbeResult(r.exitCode(), r.output(), r.timedOut());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing container " + id, e);
        }
    }

    @Override
    public void export(Container c, OutputStream out) throws IOException {
        Path dir = config.containerDir(c.id());
        boolean wasMounted = snapshots.isMounted(dir);
        Path rootfs = snapshots.mount(c.layers(), dir, userns(c));
        try {
            TreeTar.write(rootfs, out, userns(c));
        } finally {
            if (!wasMounted && !c.state().isRunning()) {
                unmountQuietly(dir);
            }
        }
    }

    @Override
    public <T> T withRootfs(Container c, RootfsWork<T> work) throws IOException {
        Path dir = config.containerDir(c.id());
        boolean wasMounted = snapshots.isMounted(dir);
        Path rootfs = snapshots.mount(c.layers(), dir, userns(c));
        try {
            return work.run(rootfs);
        } finally {
            if (!wasMounted && !c.state().isRunning()) {
                unmountQuietly(dir);
            }
        }
    }

    @Override
    public void watchExits(ExitListener listener) {
        try {
            exits = new ExitWatcher(runtime, (id, status) -> listener.exited(id, status.exitCode(), status.finishedAt()));
            exits.watchExisting();
            runtime.removeEndedExecSessions(); // exec instances live in memory: a new daemon knows none of them
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch container exits under " + config.execRoot(), e);
        }
    }

    @Override
    public void close() {
        if (exits != null) {
            exits.close();
        }
        logWatcher.close();
        if (remap != null) {
            try {
                snapshots.unmountViews(); // the next start mounts them again; running containers keep theirs
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot unmount the idmapped views of the layers", e);
            }
        }
    }
}
