package dev.berth.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real berthd process on a private data root, exec root and socket, started from the test class path so that tests
 * exercise the code under test and never touch the machine's own daemon.
 */
final class Daemon implements AutoCloseable {
    final Path dataRoot;
    final Path execRoot;
    final Path socket;
    final Path log;
    private Path configFile = Path.of("/nonexistent/daemon.json");
    private Process process;

    Daemon(Path base) throws IOException {
        this.dataRoot = base.resolve("data");
        // short: conmon's attach socket paths under the exec root must fit in a sockaddr_un
        this.execRoot = Files.createDirectories(Path.of("/run", "bt" + Long.toHexString(System.nanoTime() & 0xffffff)));
        this.socket = execRoot.resolve("berth.sock");
        this.log = base.resolve("berthd.log");
    }

    /** Starts with this daemon.json instead of none. */
    Daemon withConfigFile(Path file) {
        this.configFile = file;
        return this;
    }

    String host() {
        return "unix://" + socket;
    }

    /**
     * The daemon.json the daemon runs with: the test's, plus a default bridge of its own (interface named after the exec
     * root, a /24 in 10.200.0.0/13 picked from it) unless the test chose one, so daemons running side by side never
     * share a bridge or an address.
     */
    private Path effectiveConfig() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode config = Files.exists(configFile)
                ? (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(configFile.toFile())
                : json.createObjectNode();
        String name = execRoot.getFileName().toString();
        int n = Integer.parseInt(name.substring(2), 16) & 0x7ff;
        if (!config.has("bip")) {
            config.put("bip", "10." + (200 + (n >> 8)) + "." + (n & 0xff) + ".1/24");
        }
        if (!config.has("bridge")) {
            config.put("bridge", "b" + name);
        }
        Path file = log.resolveSibling("berthd-daemon.json");
        Files.writeString(file, config.toString());
        return file;
    }

    Daemon start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.daemon.Berthd", "--config-file", effectiveConfig().toString(),
                "--data-root", dataRoot.toString(), "--exec-root", execRoot.toString(), "-H", host()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("LC_ALL", "C.UTF-8"); // as the launcher does: file names in layers are not all ASCII
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket) && Cli.berth(this, "version").exitCode() == 0) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("berthd exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("berthd did not answer within 30 s:\n" + Files.readString(log));
    }

    /** Kills the daemon with SIGKILL, as a crash would; containers (held by conmon) keep running. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            // remove what the tests left, so no container, mount or conmon outlives the suite
            List<String> ids = Cli.berth(this, "ps", "-aq").stdout().lines().filter(l -> !l.isBlank()).toList();
            if (!ids.isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(ids);
                Cli.berth(this, rm.toArray(String[]::new));
            }
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        try (Stream<Path> paths = Files.walk(execRoot)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + execRoot, e);
        }
    }
}
