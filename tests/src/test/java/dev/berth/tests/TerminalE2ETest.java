package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Interactive sessions on a real pseudo-terminal: util-linux {@code script} gives the CLI a pty, and what the test
 * "types" goes in through it. Needs root and {@code script} (util-linux, on every Debian).
 */
class TerminalE2ETest extends BusyboxDaemonTest {
    /**
     * Runs {@code command} on a new pty and types each of {@code keys} once the output so far contains the marker that
     * precedes it: {@code "", "ls\n", "bin", "exit\n"} types "ls" at once and "exit" when "bin" has appeared. Typing
     * before the CLI has put the terminal in raw mode would let the line discipline eat control keys such as Ctrl-q.
     */
    private static Cli.Result onTerminal(List<String> command, String... keys) throws Exception {
        String line = command.stream().map(TerminalE2ETest::quote).collect(Collectors.joining(" "));
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

    private static List<String> berth(String... args) {
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.cli.Main", "-H", daemon.host()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void runIt_typedCommandsRunOnATerminal_andExitCodeIsReturned() throws Exception {
        Cli.Result r = onTerminal(berth("run", "-it", "--rm", "busybox", "sh"), "# ", "echo typed-$((40+2)); tty; exit 3\n");
        assertThat(r.stdout()).contains("typed-42").contains("/dev/pts/0");
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void dockerRunIt_worksOnATerminalToo() throws Exception {
        Cli.Result r = onTerminal(List.of("docker", "run", "-it", "--rm", "busybox", "sh"), "# ",
                "echo via-docker-$((1+1)); exit 4\n");
        assertThat(r.stdout()).contains("via-docker-2");
        assertThat(r.exitCode()).isEqualTo(4);
    }

    @Test
    void ctrlPCtrlQ_detaches_leavingTheContainerRunning_andAttachReconnects() throws Exception {
        Cli.Result r = onTerminal(berth("run", "-it", "--name", "t1", "busybox", "sh"), "# ", "echo before-$((1+1))\n",
                "before-2", "\u0010\u0011");
        assertThat(r.exitCode()).isZero();
        assertThat(Cli.berth(daemon, "inspect", "t1", "--format", "{{.State.Status}}").out()).isEqualTo("running");
        Cli.Result again = onTerminal(berth("attach", "t1"), "", "echo back-$((2+3)); exit 6\n");
        assertThat(again.stdout()).contains("back-5");
        assertThat(again.exitCode()).isEqualTo(6);
        assertThat(Cli.berth(daemon, "inspect", "t1", "--format", "{{.State.Status}} {{.State.ExitCode}}").out())
                .isEqualTo("exited 6");
        Cli.berth(daemon, "rm", "t1").assertOk();
    }
}
