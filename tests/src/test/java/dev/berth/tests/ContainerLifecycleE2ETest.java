package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The basic container verbs through the berth CLI, against a real daemon running real runc/conmon containers. Needs root. */
class ContainerLifecycleE2ETest extends BusyboxDaemonTest {
    @Test
    void run_rm_printsOutputAndExitsZero() {
        Cli.Result r = Cli.berth(daemon, "run", "--rm", "busybox", "echo", "hello");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("hello\n");
    }

    @Test
    void run_returnsTheContainersExitCode() {
        assertThat(Cli.berth(daemon, "run", "--rm", "busybox", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
    }

    @Test
    void run_missingCommand_exits127() {
        Cli.Result r = Cli.berth(daemon, "run", "--rm", "busybox", "nosuchcommand");
        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.stderr()).contains("executable file not found");
    }

    @Test
    void create_thenStartAttached_printsOutput() {
        Cli.berth(daemon, "create", "--name", "c2", "busybox", "echo", "from-c2").assertOk();
        Cli.Result r = Cli.berth(daemon, "start", "-a", "c2");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("from-c2\n");
        Cli.berth(daemon, "rm", "c2").assertOk();
    }

    @Test
    void detached_container_showsInPs_logs_andStops() {
        String id = Cli.berth(daemon, "run", "-d", "--name", "c1", "-e", "A=1", "-w", "/tmp", "--hostname", "h1",
                "busybox", "sh", "-c", "echo started; env; pwd; hostname; sleep 300").assertOk().out();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(Cli.berth(daemon, "ps", "--format", "{{.ID}} {{.Names}}").out()).contains(id.substring(0, 12) + " c1");
        String logs = waitForLogs("c1", "h1");
        assertThat(logs).contains("started", "A=1", "/tmp", "h1", "HOSTNAME=h1");
        assertThat(Cli.berth(daemon, "inspect", "c1", "--format", "{{.State.Status}} {{.Config.Hostname}}").out())
                .isEqualTo("running h1");
        Cli.berth(daemon, "stop", "-t", "2", "c1").assertOk();
        assertThat(Cli.berth(daemon, "inspect", "c1", "--format", "{{.State.Status}}").out()).isEqualTo("exited");
        Cli.berth(daemon, "rm", "c1").assertOk();
        assertThat(Cli.berth(daemon, "inspect", "c1").exitCode()).isNotZero();
    }

    @Test
    void nameConflict_isRefusedWithDockersMessage() {
        Cli.berth(daemon, "create", "--name", "dup", "busybox", "true").assertOk();
        Cli.Result r = Cli.berth(daemon, "create", "--name", "dup", "busybox", "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("Conflict. The container name \"/dup\" is already in use by container");
        Cli.berth(daemon, "rm", "dup").assertOk();
    }

    private static String waitForLogs(String container, String expected) {
        String logs = "";
        for (int i = 0; i < 50 && !logs.contains(expected); i++) {
            logs = Cli.berth(daemon, "logs", container).stdout();
            sleep(100);
        }
        return logs;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
