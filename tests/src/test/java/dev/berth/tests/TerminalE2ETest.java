package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interactive sessions on a real pseudo-terminal: util-linux {@code script} gives the CLI a pty, and what the test
 * "types" goes in through it. Needs root and {@code script} (util-linux, on every Debian).
 */
class TerminalE2ETest extends BusyboxDaemonTest {
    private static Cli.Result onTerminal(List<String> command, String... keys) throws Exception {
        return Pty.run(daemon, command, keys);
    }

    private static List<String> berth(String... args) {
        return Pty.berth(daemon, args);
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
