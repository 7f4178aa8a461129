package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
        }
    }
}
