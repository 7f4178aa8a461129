package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.linux.SeqPacketSocket;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A process run in a running container through its own conmon, as Podman's exec sessions are: conmon runs
 * {@code <runtime> exec --detach --process process.json <container>}, becomes the process's reaper, holds its stdio
 * (a pty with a terminal) behind an attach socket, and reports its exit code.
 *
 * <p>Pipes between conmon and us (conmon reads their descriptor numbers from the environment):
 * {@code _OCI_STARTPIPE} (ours to write: the first write lets conmon go on; with an attached client the second lets it
 * run the runtime, so the client is connected before the process prints anything), {@code _OCI_ATTACHPIPE} (conmon
 * writes {@code {"data": 0}} once the attach socket listens) and {@code _OCI_SYNCPIPE} (conmon writes
 * {@code {"data": <pid>}} once the process runs, or {@code {"data": -1, "message": "..."}} when the runtime refused, then
 * {@code {"data": <exit code>}} when it has ended). The pipes are named pipes in the session's directory, which a shell
 * moves to descriptors 3, 4 and 5 before it becomes conmon (the JDK passes a child no other descriptors).
 *
 * <p>Files, under {@code <execRoot>/exec/<execId>/}: {@code process.json}, {@code pidfile}, {@code conmon.pid},
 * {@code attach} (the socket; conmon removes it when the process has ended), {@code ctl} and {@code winsz} (conmon's
 * control fifos, for resizing the terminal) and {@code exits/<containerId>}. {@link #close()} removes the directory.
 */
public final class ExecProcess implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OPEN_TIMEOUT_SECONDS = 30;
    /** Opening a fifo blocks in native code until the peer opens the other end: platform threads, one per open. */
    private static final ExecutorService OPENERS =
            Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("exec-fifo-", 0).factory());

    private final Path dir;
    private final String containerId;
    private final long pid;
    private final Attach attach;
    private final BufferedReader sync;

    private ExecProcess(Path dir, String containerId, long pid, Attach attach, BufferedReader sync) {
        this.dir = dir;
        this.containerId = containerId;
        this.pid = pid;
        this.attach = attach;
        this.sync = sync;
    }

    /** The runtime and conmon to use, as {@link ContainerRuntime} knows them. */
    record Tools(Path conmon, Path runtime, Path stateRoot) {}

    /**
     * Starts the process; returns once it runs. With {@code attached}, the returned session's {@link #attach()} is
     * connected from before the process's first output.
     *
     * @param containerDir the container's runtime directory, whose {@code config.json} gives the process defaults
     * @throws OciRuntimeException when the runtime refuses (missing executable, bad working directory...); nothing is left
     */
    static ExecProcess start(Tools tools, Path containerDir, String containerId, Path dir, ExecSpec spec, boolean attached)
            throws IOException, OciRuntimeException {
        Files.createDirectories(dir.resolve("exits"));
        try {
            Files.write(dir.resolve("process.json"), JSON.writeValueAsBytes(processJson(containerDir, spec)));
            Path syncFifo = dir.resolve("sync-pipe");
            Path attachFifo = dir.resolve("attach-pipe");
            Path startFifo = dir.resolve("start-pipe");
            for (Path fifo : List.of(syncFifo, attachFifo, startFifo)) {
                Fifo.create(fifo, 0600);
            }
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                    "exec \"$@\" 3>\"$BERTH_SYNC\" 4>\"$BERTH_ATTACH\" 5<\"$BERTH_START\" >/dev/null", "sh",
                    tools.conmon().toString(),
                    "--api-version", "1",
                    "--cid", containerId, "--cuuid", dir.getFileName().toString(), "--name", dir.getFileName().toString(),
                    "--runtime", tools.runtime().toString(),
                    "--runtime-arg=--root=" + tools.stateRoot(),
                    "--bundle", dir.toString(),
                    "--container-pidfile", dir.resolve("pidfile").toString(),
                    "--conmon-pidfile", dir.resolve("conmon.pid").toString(),
                    "--exit-dir", dir.resolve("exits").toString(),
                    "--log-path", "none", // exec output goes to the client only, never to the container's log
                    "--socket-dir-path", dir.toString(),
                    "--full-attach",
                    "--exec", "--exec-process-spec", dir.resolve("process.json").toString()));
            if (attached) {
                command.add("--exec-attach");
            }
            if (spec.terminal()) {
                command.add("--terminal");
            }
            if (spec.stdin() && attached) {
                command.add("--stdin");
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("BERTH_SYNC", syncFifo.toString());
            builder.environment().put("BERTH_ATTACH", attachFifo.toString());
            builder.environment().put("BERTH_START", startFifo.toString());
            builder.environment().put("_OCI_SYNCPIPE", "3");
            builder.environment().put("_OCI_ATTACHPIPE", "4");
            builder.environment().put("_OCI_STARTPIPE", "5");

            CompletableFuture<InputStream> syncOpen = open(() -> Files.newInputStream(syncFifo));
            CompletableFuture<InputStream> attachOpen = open(() -> Files.newInputStream(attachFifo));
            CompletableFuture<OutputStream> startOpen = open(() -> Files.newOutputStream(startFifo, StandardOpenOption.WRITE));
            Process launcher;
            try {
                launcher = builder.start();
            } catch (IOException e) {
                release(syncFifo, attachFifo, startFifo);
                closeAll(syncOpen, attachOpen, startOpen);
                throw new IOException("exec in container " + containerId + ": cannot run conmon: " + e.getMessage(), e);
            }
            InputStream syncIn;
            InputStream attachIn;
            OutputStream startOut;
            try {
                syncIn = await(syncOpen);
                attachIn = await(attachOpen);
                startOut = await(startOpen);
            } catch (IOException e) {
                launcher.destroyForcibly();
                release(syncFifo, attachFifo, startFifo);
                closeAll(syncOpen, attachOpen, startOpen);
                throw e;
            }
            BufferedReader sync = new BufferedReader(new InputStreamReader(syncIn, StandardCharsets.UTF_8));
            Attach attach = null;
            try (attachIn; startOut) {
                startOut.write('0'); // conmon may go on (and daemonize)
                startOut.flush();
                waitFor(launcher);
                if (attached) {
                    if (readMessage(new BufferedReader(new InputStreamReader(attachIn, StandardCharsets.UTF_8))) == null) {
                        throw new IOException("exec in container " + containerId + ": conmon exited before its attach socket was ready");
                    }
                    attach = new Attach(SeqPacketSocket.connect(dir.resolve("attach")), containerId);
                    startOut.write('0'); // connected: the runtime may run the process
                    startOut.flush();
                }
            } catch (IOException | RuntimeException e) {
                sync.close();
                if (attach != null) {
                    attach.close();
                }
                throw e;
            }
            JsonNode reply = readMessage(sync);
            long pid = reply == null ? -1 : reply.path("data").asLong(-1);
            if (pid <= 0) {
                sync.close();
                if (attach != null) {
                    attach.close();
                }
                String message = reply == null ? "conmon exited without reporting a pid"
                        : ContainerRuntime.runtimeMessage(reply.path("message").asText("exit status " + pid));
                throw new OciRuntimeException("exec", message);
            }
            return new ExecProcess(dir, containerId, pid, attach, sync);
        } catch (IOException | OciRuntimeException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The container's process, with what the exec changes: args, env, cwd, user, terminal, and capabilities if privileged. */
    private static ObjectNode processJson(Path containerDir, ExecSpec spec) throws IOException {
        JsonNode config;
        try {
            config = JSON.readTree(containerDir.resolve("config.json").toFile());
        } catch (NoSuchFileException e) {
            throw new IOException("exec: container has no runtime configuration at " + containerDir, e);
        }
        ObjectNode process = config.path("process").isObject() ? (ObjectNode) config.get("process").deepCopy()
                : JSON.createObjectNode();
        process.put("terminal", spec.terminal());
        process.remove("consoleSize");
        if (spec.terminal() && spec.consoleHeight() > 0 && spec.consoleWidth() > 0) {
            process.putObject("consoleSize").put("height", spec.consoleHeight()).put("width", spec.consoleWidth());
        }
        ObjectNode user = process.putObject("user");
        user.put("uid", spec.user().uid());
        user.put("gid", spec.user().gid());
        if (!spec.user().additionalGids().isEmpty()) {
            ArrayNode gids = user.putArray("additionalGids");
            spec.user().additionalGids().forEach(gids::add);
        }
        ArrayNode args = process.putArray("args");
        spec.args().forEach(args::add);
        ArrayNode env = process.putArray("env");
        spec.env().forEach(env::add);
        process.put("cwd", spec.cwd());
        if (spec.privileged()) {
            ObjectNode caps = process.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ArrayNode list = caps.putArray(set);
                privilegedCapabilities().forEach(list::add);
            }
        }
        return process;
    }

    /**
     * Every capability this process's bounding set still holds: a daemon confined to fewer than all (a container, a
     * sandbox) cannot hand out the others, and the runtime would fail with "unable to apply caps".
     */
    static List<String> privilegedCapabilities() throws IOException {
        long bounding = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapBnd:")) {
                bounding = Long.parseUnsignedLong(line.substring("CapBnd:".length()).strip(), 16);
            }
        }
        List<String> caps = new ArrayList<>();
        List<String> all = OciSpec.ALL_CAPABILITIES; // in the kernel's order: the index is the capability's number
        for (int i = 0; i < all.size(); i++) {
            if ((bounding & (1L << i)) != 0) {
                caps.add(all.get(i));
            }
        }
        return caps;
    }

    public long pid() {
        return pid;
    }

    /** The attach session, when the process was started attached; the caller pumps and closes it. */
    public Optional<Attach> attach() {
        return Optional.ofNullable(attach);
    }

    /**
     * Blocks until conmon reports the process's exit code (128 + n when signal n ended it). When conmon went away without
     * a report, the exit file decides, and 255 stands for "unknown".
     */
    public int awaitExit() throws IOException {
        JsonNode reply = readMessage(sync);
        if (reply != null && reply.path("data").isInt()) {
            return reply.get("data").asInt();
        }
        try {
            return Integer.parseInt(Files.readString(dir.resolve("exits").resolve(containerId)).strip());
        } catch (NoSuchFileException | NumberFormatException e) {
            return 255;
        }
    }

    /** Resizes the process's terminal through conmon's control fifo: the line {@code "1 <height> <width>\n"}. */
    public void resize(int height, int width) throws IOException {
        if (height < 0 || width < 0 || height > 1000 || width > 1000) {
            throw new IllegalArgumentException("resize: size " + height + "x" + width + " out of range 0..1000");
        }
        Path ctl = dir.resolve("ctl");
        if (!Files.exists(dir.resolve("attach")) && attach == null) {
            throw new IOException("resize: the exec process has ended");
        }
        // conmon keeps a writer of its own open on ctl, so opening it cannot block while conmon lives.
        try (Writer out = Files.newBufferedWriter(ctl, StandardCharsets.US_ASCII, StandardOpenOption.WRITE)) {
            out.write("1 " + height + " " + width + "\n");
        }
    }

    /** Removes the session's files; does not stop the process. */
    @Override
    public void close() throws IOException {
        try {
            sync.close();
        } finally {
            deleteTree(dir);
        }
    }

    private interface Opener<T> {
        T open() throws IOException;
    }

    private static <T> CompletableFuture<T> open(Opener<T> opener) {
        CompletableFuture<T> result = new CompletableFuture<>();
        OPENERS.execute(() -> {
            try {
                result.complete(opener.open());
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("exec: conmon did not open its pipes within " + OPEN_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting an exec process", e);
        }
    }

    /** Opens the other end of each fifo without blocking (read-write), which releases any opener still waiting. */
    private static void release(Path... fifos) {
        for (Path fifo : fifos) {
            try {
                Files.newByteChannel(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
            } catch (IOException e) {
                // gone already: nobody can be waiting on it
            }
        }
    }

    private static void closeAll(CompletableFuture<?>... futures) {
        for (CompletableFuture<?> f : futures) {
            try {
                Object stream = f.get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (stream instanceof Closeable c) {
                    c.close();
                }
            } catch (IOException | ExecutionException | TimeoutException e) {
                // nothing was opened, or it is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void waitFor(Process launcher) throws IOException {
        try {
            if (!launcher.waitFor(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
                throw new IOException("exec: conmon did not start within " + OPEN_TIMEOUT_SECONDS + " s");
            }
            if (launcher.exitValue() != 0) {
                String errors = new String(launcher.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new IOException("exec: conmon failed with status " + launcher.exitValue() + ": " + errors);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting conmon", e);
        }
    }

    /** The next JSON line conmon wrote, or null at end of stream. */
    private static JsonNode readMessage(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.strip().startsWith("{")) {
                return JSON.readTree(line);
            }
        }
        return null;
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
