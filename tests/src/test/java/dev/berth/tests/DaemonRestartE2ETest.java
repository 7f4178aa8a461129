package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers outlive the daemon: kill -9 berthd, start it again, and they are as they were. Needs root. */
@Tag("e2e")
class DaemonRestartE2ETest {
    @TempDir
    Path base;

    @Test
    void killedDaemon_findsRunningContainersRunning_andExitedOnesExited() throws Exception {
        try (Daemon daemon = new Daemon(base).start()) {
            Cli.berth(daemon, "import", Images.busyboxTar().toString(), "busybox:latest").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "live", "busybox", "sh", "-c", "echo up; sleep 300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "short", "busybox", "sh", "-c", "sleep 2; exit 7").assertOk();
            Cli.berth(daemon, "create", "--name", "made", "busybox", "true").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "ticker", "busybox", "sh", "-c", "while true; do echo tick; sleep 0.2; done")
                    .assertOk();
            // what a daemon killed in the middle of a create leaves: a container directory without a record
            Path halfMade = daemon.dataRoot.resolve("containers").resolve("ab".repeat(32));
            Files.createDirectories(halfMade.resolve("upper"));

            daemon.kill9();
            Thread.sleep(3000); // "short" exits while no daemon runs
            daemon.start();

            assertThat(Cli.berth(daemon, "inspect", "live", "--format", "{{.State.Status}}").out()).isEqualTo("running");
            assertThat(Cli.berth(daemon, "inspect", "short", "--format", "{{.State.Status}} {{.State.ExitCode}}").out())
                    .isEqualTo("exited 7");
            assertThat(Cli.berth(daemon, "inspect", "made", "--format", "{{.State.Status}}").out()).isEqualTo("created");
            assertThat(Cli.berth(daemon, "logs", "live").stdout()).isEqualTo("up\n");
            Cli.berth(daemon, "stop", "-t", "1", "live").assertOk();
            assertThat(Cli.berth(daemon, "wait", "live").out()).isEqualTo("137");
            assertThat(halfMade).doesNotExist();
            assertThat(Cli.berth(daemon, "ps", "-a", "--format", "{{.Names}}").stdout().lines().sorted().toList())
                    .containsExactly("live", "made", "short", "ticker");
            assertThat(attachUntilStopped(daemon, "ticker")).contains("tick\n");
        }
    }

    /** {@code berth attach} to a container the previous daemon started: output flows until the container is stopped. */
    private static String attachUntilStopped(Daemon daemon, String name) throws Exception {
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.cli.Main", "-H", daemon.host(), "attach", "--no-stdin", name));
        Process attach = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = attach.getInputStream()) {
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        for (int i = 0; i < 100 && !out.toString().contains("tick"); i++) {
            Thread.sleep(100);
        }
        Cli.berth(daemon, "stop", "-t", "1", name).assertOk();
        assertThat(attach.waitFor(20, TimeUnit.SECONDS)).as("attach ends when the container stops").isTrue();
        reader.join();
        return out.toString();
    }

    @Test
    void socket_isOwnedByRootAndGroupBerth_mode0660() throws Exception {
        try (Daemon daemon = new Daemon(base).start()) {
            var attrs = Files.readAttributes(daemon.socket, PosixFileAttributes.class);
            assertThat(attrs.owner().getName()).isEqualTo("root");
            assertThat(attrs.group().getName()).isEqualTo("berth");
            assertThat(PosixFilePermissions.toString(attrs.permissions())).isEqualTo("rw-rw----");
        }
    }
}
