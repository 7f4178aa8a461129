package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.linux.SeqPacketSocket;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs containers the way Podman's libpod does: one conmon per container, which calls the OCI runtime's {@code create},
 * holds the container's stdio, writes its log, serves attach clients, and records the exit code. conmon daemonizes (it
 * double-forks and calls setsid), so containers outlive the daemon; after a restart everything is found again through the
 * files below.
 *
 * <p>Files, per container, under {@code <execRoot>/containers/<id>/} (the directory is the OCI bundle runc sees):
 * {@code config.json} (copied from the engine's bundle at create), {@code runtime} (which runtime created it),
 * {@code conmon.pid}, {@code pidfile} (the container's init pid), {@code attach} (conmon's attach socket), {@code ctl} and
 * {@code winsz} (conmon's control fifos) and {@code exits/<id>} (the exit code; its modification time is the finish
 * time). The runtimes keep their state under {@code <execRoot>/runtime-<name>}.
 *
 * <p>States and operations, as in {@code runc}: {@link #create} leaves the container "created" (process set up, user
 * command not yet executed; attach works from now on); {@link #start} makes it "running"; when the process exits it is
 * "stopped" and {@link #exitStatus} has the result; {@link #delete} removes it from the runtime and removes its directory.
 * All methods block and are safe to call from several threads for different containers; the engine serialises operations
 * on one container.
 *
 * <p>Terminal: with a TTY conmon passes runc a console socket, receives the pty master through it, and relays the
 * terminal over the attach socket (all output tagged stdout, input written to the pty). A resize is the line
 * {@code "1 <height> <width>\n"} written to the {@code ctl} fifo; conmon forwards it to its {@code winsz} fifo and applies
 * it to the pty with TIOCSWINSZ.
 */
public final class ContainerRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** runc prints logrus lines on stderr: {@code time="..." level=error msg="..."}; the msg is the part users need. */
    private static final Pattern LOGRUS_MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Path execRoot;
    private final Path conmon;

    /** @param execRoot e.g. {@code /run/berth}: a tmpfs, so stale state disappears at reboot like the containers do */
    public ContainerRuntime(Path execRoot) {
        this(execRoot, findExecutable("conmon").orElse(Path.of("/usr/bin/conmon")));
    }

    public ContainerRuntime(Path execRoot, Path conmon) {
        this.execRoot = execRoot.toAbsolutePath();
        this.conmon = conmon;
    }

    /** The directory holding one container's runtime files. */
    public Path containerDir(String id) {
        return execRoot.resolve("containers").resolve(checkId(id));
    }

    /**
     * Creates the container from {@code bundleDir/config.json}: starts conmon, which runs {@code <runtime> create}, and
     * waits until the runtime has set the container up. Returns the container's init pid.
     *
     * <p>After any failure, {@link #delete} with {@code force} removes what is left (the container's directory).
     *
     * @throws OciRuntimeException when the runtime refuses (runc 1.1 looks the executable up at create, so a missing command
     *                             fails here); the container is then already removed from the runtime and conmon has exited
     * @throws IOException         when conmon or the runtime cannot be run at all
     */
    public long create(String id, Path bundleDir, CreateOptions options) throws IOException, OciRuntimeException {
        OciRuntime runtime = runtime(options.runtime());
        Path dir = containerDir(id);
        Files.createDirectories(dir.resolve("exits"));
        Files.createDirectories(runtime.stateRoot());
        if (Files.exists(runtime.stateRoot().resolve(id))) {
            // A daemon killed in the middle of an earlier start or stop can leave the runtime's record of the container
            // behind, and runc would refuse the new one: "container with given ID already exists".
            run(runtime, List.of("delete", "--force", id));
        }
        Files.createDirectories(options.logPath().toAbsolutePath().getParent());
        if (!bundleDir.toAbsolutePath().equals(dir)) {
            Files.copy(bundleDir.resolve("config.json"), dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(dir.resolve("runtime"), runtime.name());

        List<String> command = new ArrayList<>(List.of(
                // conmon reads the sync pipe's descriptor number from _OCI_SYNCPIPE; it must be above 2 (conmon points 0-2 at
                // /dev/null when it daemonizes) and the JDK closes everything above 2 in children, so the shell moves it.
                "/bin/sh", "-c", "exec \"$@\" 3>&1 >/dev/null", "sh", conmon.toString(),
                "--api-version", "1",
                "--cid", id, "--cuuid", id, "--name", id,
                "--runtime", runtime.binary().toString(),
                "--runtime-arg=--root=" + runtime.stateRoot(),
                "--bundle", dir.toString(),
                "--container-pidfile", dir.resolve("pidfile").toString(),
                "--conmon-pidfile", dir.resolve("conmon.pid").toString(),
                "--exit-dir", dir.resolve("exits").toString(),
                "--log-path", options.log().enabled() ? "k8s-file:" + options.logPath().toAbsolutePath() : "none",
                "--socket-dir-path", dir.toString(),
                "--full-attach"));
        if (options.log().enabled() && options.log().maxSize() > 0) {
            command.add("--log-size-max=" + options.log().maxSize());
        }
        if (options.terminal()) {
            command.add("--terminal");
        }
        if (options.stdin()) {
            command.add("--stdin");
            if (!options.stdinOnce()) {
                command.add("--leave-stdin-open");
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("_OCI_SYNCPIPE", "3");
        String syncMessage = launchConmon(id, builder, dir.resolve("sync"));
        JsonNode reply = JSON.readTree(syncMessage);
        long pid = reply.path("data").asLong(-1);
        if (pid <= 0) {
            String message = runtimeMessage(reply.path("message").asText("exit status " + pid));
            forceRemove(runtime, id);
            awaitConmonExit(id, Duration.ofSeconds(10));
            throw new OciRuntimeException("create", message);
        }
        return pid;
    }

    /**
     * Runs the user's command of a created container.
     *
     * @throws OciRuntimeException when the runtime cannot start it (runtimes that look the executable up only now, like
     *                             crun, report a missing command here); unless the container is running after all, it is
     *                             removed from the runtime as after a failed create
     */
    public void start(String id) throws IOException, OciRuntimeException {
        OciRuntime runtime = runtimeOf(id);
        CommandResult result = run(runtime, List.of("start", id));
        if (result.exitCode() != 0) {
            String message = runtimeMessage(result.stderr());
            Optional<RuntimeState> state = state(id);
            if (state.isPresent() && state.get().status().equals("running")) {
                throw new OciRuntimeException("start", message);
            }
            forceRemove(runtime, id);
            awaitConmonExit(id, Duration.ofSeconds(10));
            throw new OciRuntimeException("start", message);
        }
    }

    /** Connects to conmon's attach socket; works from {@link #create} on, so attaching before start loses no output. */
    public Attach attach(String id) throws IOException {
        return new Attach(SeqPacketSocket.connect(containerDir(id).resolve("attach")), id);
    }

    /** Sends a signal to the container's init process. */
    public void kill(String id, int signal) throws IOException {
        CommandResult result = run(runtimeOf(id), List.of("kill", id, Integer.toString(signal)));
        if (result.exitCode() != 0) {
            throw new IOException("kill container " + id + " with signal " + signal + ": " + runtimeMessage(result.stderr()));
        }
    }

    /**
     * Runs an extra process in the running container ({@code docker exec}); returns once it runs. With {@code attached}
     * the session's attach socket is connected before the process can print anything.
     *
     * @throws OciRuntimeException when the runtime refuses (executable not found, bad working directory...)
     */
    public ExecProcess exec(String id, String execId, ExecSpec spec, boolean attached) throws IOException, OciRuntimeException {
        OciRuntime runtime = runtimeOf(id);
        return ExecProcess.start(new ExecProcess.Tools(conmon, runtime.binary(), runtime.stateRoot()), containerDir(id), id,
                execRoot.resolve("exec").resolve(checkId(execId)), spec, attached);
    }

    /**
     * Removes what exec sessions of a previous daemon left: the directories whose conmon has gone. Sessions still running
     * keep theirs (their conmon removes nothing; the next start-up after they end does).
     */
    public void removeEndedExecSessions() throws IOException {
        Path root = execRoot.resolve("exec");
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                Optional<Long> pid = readLong(dir.resolve("conmon.pid"));
                if (pid.isEmpty() || !isLiveConmon(pid.get())) {
                    deleteTree(dir);
                }
            }
        }
    }

    /** Freezes every process of the container (the freezer cgroup); {@link #resume} thaws them. */
    public void pause(String id) throws IOException {
        CommandResult result = run(runtimeOf(id), List.of("pause", id));
        if (result.exitCode() != 0) {
            throw new IOException("pause container " + id + ": " + runtimeMessage(result.stderr()));
        }
    }

    /** Thaws the container; one that is not frozen (runc thaws by itself after a SIGKILL) is left as it is. */
    public void resume(String id) throws IOException {
        CommandResult result = run(runtimeOf(id), List.of("resume", id));
        if (result.exitCode() != 0 && !result.stderr().contains("container not paused")) {
            throw new IOException("resume container " + id + ": " + runtimeMessage(result.stderr()));
        }
    }

    /** The host pids of every process in the container's cgroup, as the runtime lists them. */
    public List<Long> pids(String id) throws IOException {
        CommandResult result = run(runtimeOf(id), List.of("ps", "--format", "json", id));
        if (result.exitCode() != 0) {
            throw new IOException("list the processes of container " + id + ": " + runtimeMessage(result.stderr()));
        }
        List<Long> pids = new ArrayList<>();
        JSON.readTree(result.stdout()).forEach(n -> pids.add(n.asLong()));
        return pids;
    }

    /**
     * Changes the cgroup limits of a running container; null leaves a limit as it is. As in Docker, 0 CPUs means no
     * limit, and a pids limit of 0 or less means no limit.
     */
    public void update(String id, Long memoryBytes, Long nanoCpus, Long pidsLimit) throws IOException {
        List<String> args = new ArrayList<>(List.of("update"));
        if (memoryBytes != null) {
            args.add("--memory=" + (memoryBytes > 0 ? memoryBytes : -1));
        }
        if (nanoCpus != null) {
            args.add("--cpu-period=100000");
            args.add("--cpu-quota=" + (nanoCpus > 0 ? nanoCpus * 100_000 / 1_000_000_000L : -1));
        }
        if (pidsLimit != null) {
            args.add("--pids-limit=" + (pidsLimit > 0 ? pidsLimit : -1));
        }
        args.add(id);
        CommandResult result = run(runtimeOf(id), args);
        if (result.exitCode() != 0) {
            throw new IOException("update container " + id + ": " + runtimeMessage(result.stderr()));
        }
    }

    /** Resizes the container's terminal; only meaningful for a container created with a terminal. */
    public void resize(String id, int height, int width) throws IOException {
        if (height < 0 || width < 0 || height > 1000 || width > 1000) {
            // conmon ignores sizes outside 0..1000 silently; say so instead
            throw new IllegalArgumentException("resize container " + id + ": size " + height + "x" + width + " out of range 0..1000");
        }
        if (!conmonAlive(id)) {
            // Opening the fifo for writing would block forever without conmon reading it.
            throw new IOException("resize container " + id + ": container is not running");
        }
        try (Writer ctl = Files.newBufferedWriter(containerDir(id).resolve("ctl"), StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE)) {
            ctl.write("1 " + height + " " + width + "\n");
        }
    }

    /** The runtime's state of the container, or empty when the runtime does not know it. */
    public Optional<RuntimeState> state(String id) throws IOException {
        Path dir = containerDir(id);
        if (!Files.exists(dir.resolve("runtime"))) {
            return Optional.empty();
        }
        CommandResult result = run(runtimeOf(id), List.of("state", id));
        if (result.exitCode() != 0) {
            if (result.stderr().contains("does not exist") || result.stderr().contains("No such file")) {
                return Optional.empty();
            }
            throw new IOException("state of container " + id + ": " + runtimeMessage(result.stderr()));
        }
        JsonNode state = JSON.readTree(result.stdout());
        return Optional.of(new RuntimeState(state.path("id").asText(), state.path("status").asText(), state.path("pid").asLong(),
                state.path("bundle").asText(), Instant.parse(state.path("created").asText())));
    }

    /**
     * Removes the container from the runtime and deletes its directory (exit file included: read {@link #exitStatus}
     * first). Without {@code force} a running container is refused; with it, it is killed first.
     */
    public void delete(String id, boolean force) throws IOException {
        Path dir = containerDir(id);
        if (Files.exists(dir.resolve("runtime"))) {
            List<String> args = force ? List.of("delete", "--force", id) : List.of("delete", id);
            CommandResult result = run(runtimeOf(id), args);
            if (result.exitCode() != 0 && !result.stderr().contains("does not exist")) {
                throw new IOException("delete container " + id + ": " + runtimeMessage(result.stderr()));
            }
        }
        if (force) {
            awaitConmonExit(id, Duration.ofSeconds(10));
        }
        deleteTree(dir);
    }

    /** The container's init pid as conmon recorded it. */
    public Optional<Long> pid(String id) throws IOException {
        return readLong(containerDir(id).resolve("pidfile"));
    }

    /** The pid of the container's conmon. */
    public Optional<Long> conmonPid(String id) throws IOException {
        return readLong(containerDir(id).resolve("conmon.pid"));
    }

    /** Whether the container's conmon still runs (it exits right after writing the exit file). */
    public boolean conmonAlive(String id) throws IOException {
        Optional<Long> pid = conmonPid(id);
        return pid.isPresent() && isLiveConmon(pid.get());
    }

    /**
     * Reads {@code /proc/<pid>/stat}: "pid (comm) state ...". The name guards against a reused pid; a zombie counts as gone,
     * since conmon has finished its work by then and only waits for init to reap it.
     */
    private static boolean isLiveConmon(long pid) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return false;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        return stat.substring(open + 1, close).equals("conmon") && state != 'Z' && state != 'X';
    }

    /** The exit code and finish time, once conmon has recorded them. */
    public Optional<ExitStatus> exitStatus(String id) throws IOException {
        Path file = containerDir(id).resolve("exits").resolve(id);
        try {
            String text = Files.readString(file).strip();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ExitStatus(Integer.parseInt(text), Files.getLastModifiedTime(file).toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Waits (watching the exit directory, not polling) until conmon records the exit, or the timeout passes. */
    public Optional<ExitStatus> awaitExit(String id, Duration timeout) throws IOException, InterruptedException {
        Path exits = containerDir(id).resolve("exits");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watch = exits.getFileSystem().newWatchService()) {
            exits.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            while (true) {
                Optional<ExitStatus> status = exitStatus(id);
                long left = deadline - System.nanoTime();
                if (status.isPresent() || left <= 0) {
                    return status;
                }
                // conmon dying without an exit file (killed) would never wake the watch: re-check it now and then.
                var key = watch.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                } else if (!conmonAlive(id)) {
                    return exitStatus(id);
                }
            }
        }
    }

    /**
     * Starts conmon and returns the sync pipe's first message (null if conmon went away without one). The sync pipe is a
     * named pipe rather than the launcher's stdout: the JDK drains and closes a child's stdout pipe as soon as the child
     * exits, and the launched conmon exits at once (its daemonized copy sends the message later). The JDK opens the fifo
     * for writing in this process and blocks until a reader has it open, so the reader opens it on another thread; once the
     * launcher runs, only conmon holds the writing end, and its exit ends our read. The opener is a platform thread:
     * the JDK's blocking open of the writing end pins the caller's carrier, so with a virtual opener a few concurrent
     * creates (a restart policy starting several containers at once) could take every carrier and wait forever.
     */
    private static String launchConmon(String id, ProcessBuilder builder, Path fifo) throws IOException {
        Files.deleteIfExists(fifo);
        Fifo.create(fifo, 0600);
        AtomicReference<InputStream> reader = new AtomicReference<>();
        AtomicReference<IOException> openFailure = new AtomicReference<>();
        Runnable openReadEnd = () -> {
            try {
                reader.set(Files.newInputStream(fifo));
            } catch (IOException e) {
                openFailure.set(e);
            }
        };
        Thread opener = Thread.ofPlatform().daemon().name("conmon-sync").start(openReadEnd);
        Process launcher;
        try {
            launcher = builder.redirectOutput(fifo.toFile()).start();
        } catch (IOException e) {
            Files.newOutputStream(fifo).close(); // releases the opener, which waits for a writer
            joinUninterruptibly(opener);
            if (reader.get() != null) {
                reader.get().close();
            }
            throw new IOException("create container " + id + ": cannot run conmon: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(fifo);
        }
        joinUninterruptibly(opener);
        if (openFailure.get() != null) {
            throw new IOException("create container " + id + ": opening the sync pipe: " + openFailure.get().getMessage(),
                    openFailure.get());
        }
        String message;
        try (BufferedReader sync = new BufferedReader(new InputStreamReader(reader.get(), StandardCharsets.UTF_8))) {
            message = readSyncMessage(sync);
        }
        String launcherErrors = readAll(launcher.getErrorStream()).strip();
        waitFor(launcher, "conmon for container " + id);
        if (message == null) {
            throw new IOException("create container " + id + ": conmon exited without reporting a pid"
                    + (launcherErrors.isEmpty() ? "" : ": " + launcherErrors));
        }
        return message;
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits, briefly and bounded, for conmon to finish after its container is gone, so "nothing left running" holds. */
    private void awaitConmonExit(String id, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // conmon is not our child, so there is nothing to wait on but its /proc entry; it exits within milliseconds.
        while (conmonAlive(id) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void forceRemove(OciRuntime runtime, String id) throws IOException {
        CommandResult result = run(runtime, List.of("delete", "--force", id));
        if (result.exitCode() != 0 && !result.stderr().contains("does not exist")) {
            throw new IOException("remove failed container " + id + ": " + runtimeMessage(result.stderr()));
        }
    }

    private static String readSyncMessage(BufferedReader sync) throws IOException {
        String line;
        while ((line = sync.readLine()) != null) {
            if (line.strip().startsWith("{")) {
                return line;
            }
        }
        return null;
    }

    /** The useful part of a runtime's error output: logrus' msg="..." when present, else the text itself. */
    static String runtimeMessage(String output) {
        String text = output.strip();
        Matcher m = LOGRUS_MSG.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (last != null) {
            return last;
        }
        // crun prints "Error: <message>" or "<prefix>: <message>"; drop a leading "Error: " only
        return text.startsWith("Error: ") ? text.substring("Error: ".length()) : text;
    }

    /** The command line that runs the runtime which created container {@code id}, with {@code args}. */
    public List<String> runtimeCommand(String id, List<String> args) throws IOException {
        OciRuntime runtime = runtimeOf(id);
        List<String> command = new ArrayList<>(List.of(runtime.binary().toString(), "--root=" + runtime.stateRoot()));
        command.addAll(args);
        return command;
    }

    private OciRuntime runtimeOf(String id) throws IOException {
        Path file = containerDir(id).resolve("runtime");
        try {
            return runtime(Files.readString(file).strip());
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(id, null, "no such container in the runtime");
        }
    }

    private record OciRuntime(String name, Path binary, Path stateRoot) {}

    private OciRuntime runtime(String name) throws IOException {
        if (!name.equals("runc") && !name.equals("crun")) {
            throw new IllegalArgumentException("unknown or invalid runtime name: " + name);
        }
        Path binary = findExecutable(name).orElseThrow(() -> new IOException("runtime " + name + " is not installed"));
        if (name.equals("crun")) {
            Optional<String> problem = CgroupLayout.crunProblem(Path.of("/sys/fs/cgroup"));
            if (problem.isPresent()) {
                throw new IOException("runtime crun cannot run containers on this host: " + problem.get());
            }
        }
        return new OciRuntime(name, binary, execRoot.resolve("runtime-" + name));
    }

    private record CommandResult(int exitCode, String stdout, String stderr) {}

    private static CommandResult run(OciRuntime runtime, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(runtime.binary().toString());
        command.add("--root=" + runtime.stateRoot());
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        // Drain stderr beside stdout so a chatty runtime cannot block on a full pipe.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread stderrReader = Thread.ofVirtual().start(() -> {
            try {
                process.getErrorStream().transferTo(err);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String out = readAll(process.getInputStream());
        int exit = waitFor(process, String.join(" ", command));
        try {
            stderrReader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
        return new CommandResult(exit, out, err.toString(StandardCharsets.UTF_8));
    }

    private static int waitFor(Process process, String what) throws IOException {
        try {
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(what + ": no answer after " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what, e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static Optional<Long> readLong(Path file) throws IOException {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static Optional<Path> findExecutable(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static String checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("invalid container id: \"" + id + "\"");
        }
        return id;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
