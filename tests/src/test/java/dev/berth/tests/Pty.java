package dev.berth.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a command on a real pseudo-terminal of the given size (util-linux {@code script} makes the pty; {@code stty}
 * sizes it before the command starts) and types into it. Needs {@code script} (util-linux, on every Debian).
 */
final class Pty {
    private Pty() {}

    /**
     * Runs {@code command} and types each of {@code keys} once the output so far contains the marker that precedes it:
     * {@code "", "ls\n", "bin", "exit\n"} types "ls" at once and "exit" when "bin" has appeared.
     */
    static Cli.Result run(Daemon daemon, int rows, int columns, List<String> command, String... keys) throws Exception {
        return session(daemon, "stty rows " + rows + " cols " + columns + "; " + shellLine(command), keys);
    }

    /**
     * The same on a terminal of {@code script}'s default size. Typing before the CLI has put the terminal in raw mode
     * would let the line discipline eat control keys such as Ctrl-q: give a marker for every key.
     */
    static Cli.Result run(Daemon daemon, List<String> command, String... keys) throws Exception {
        return session(daemon, shellLine(command), keys);
    }

    private static String shellLine(List<String> command) {
        return command.stream().map(Pty::quote).collect(Collectors.joining(" "));
    }

    private static Cli.Result session(Daemon daemon, String line, String... keys) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", line, "/dev/null");
        pb.environment().put("DOCKER_HOST", daemon.host());
        pb.environment().put("DOCKER_CONFIG", "/tmp/berth-tests-docker-config");
        Process p = pb.start();
        StringBuffer out = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (OutputStream typist = p.getOutputStream()) {
            for (int i = 0; i < keys.length; i += 2) {
                String marker = keys[i];
                while (!out.toString().contains(marker)) {
                    if (System.nanoTime() > deadline || !p.isAlive()) {
                        p.destroyForcibly();
                        throw new AssertionError("never saw \"" + marker + "\" in:\n" + out);
                    }
                    Thread.sleep(50);
                }
                typist.write(keys[i + 1].getBytes(StandardCharsets.UTF_8));
                typist.flush();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the session did not end:\n" + out);
            }
        }
        reader.join();
        return new Cli.Result(p.exitValue(), out.toString(), "");
    }

    /** The berth CLI's command line against {@code daemon}. */
    static List<String> berth(Daemon daemon, String... args) {
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.cli.Main", "-H", daemon.host()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
