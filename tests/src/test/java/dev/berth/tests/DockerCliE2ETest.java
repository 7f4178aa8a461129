package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The machine's docker CLI (28.x) against berthd. Needs root and the docker CLI on the PATH. */
class DockerCliE2ETest extends BusyboxDaemonTest {
    @Test
    void version_and_info_answer() {
        assertThat(Cli.docker(daemon, "version", "--format", "{{.Server.APIVersion}}").assertOk().out()).isEqualTo("1.44");
        assertThat(Cli.docker(daemon, "info", "--format", "{{.OSType}} {{.Driver}}").assertOk().out())
                .isEqualTo("linux overlay2");
    }

    @Test
    void run_rm_printsOutput_andReturnsTheExitCode() {
        Cli.Result r = Cli.docker(daemon, "run", "--rm", "busybox", "echo", "hello");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("hello\n");
        assertThat(Cli.docker(daemon, "run", "--rm", "busybox", "sh", "-c", "exit 5").exitCode()).isEqualTo(5);
        assertThat(Cli.docker(daemon, "run", "--rm", "busybox", "nosuchcommand").exitCode()).isEqualTo(127);
    }

    @Test
    void detached_ps_logs_inspect_stop_rm() {
        String id = Cli.docker(daemon, "run", "-d", "--name", "d1", "busybox", "sh", "-c", "echo one; echo two >&2; sleep 300")
                .assertOk().out();
        assertThat(Cli.docker(daemon, "ps", "--format", "{{.ID}} {{.Names}} {{.Status}}").out())
                .startsWith(id.substring(0, 12) + " d1 Up");
        String logs = "";
        for (int i = 0; i < 50 && !logs.contains("two"); i++) {
            Cli.Result r = Cli.docker(daemon, "logs", "d1");
            logs = r.stdout() + r.stderr();
        }
        Cli.Result r = Cli.docker(daemon, "logs", "d1");
        assertThat(r.stdout()).isEqualTo("one\n");
        assertThat(r.stderr()).isEqualTo("two\n");
        assertThat(Cli.docker(daemon, "inspect", "--format", "{{.State.Running}} {{.Name}}", "d1").out()).isEqualTo("true /d1");
        Cli.docker(daemon, "stop", "-t", "1", "d1").assertOk();
        assertThat(Cli.docker(daemon, "ps", "-a", "--filter", "name=d1", "--format", "{{.Status}}").out()).startsWith("Exited (137)");
        Cli.docker(daemon, "rm", "d1").assertOk();
        Cli.Result gone = Cli.docker(daemon, "rm", "d1");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).contains("No such container: d1");
    }

    @Test
    void images_tag_rmi() {
        Cli.docker(daemon, "tag", "busybox", "mybox:v1").assertOk();
        assertThat(Cli.docker(daemon, "images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains("busybox:latest", "mybox:v1");
        assertThat(Cli.docker(daemon, "rmi", "mybox:v1").assertOk().out()).isEqualTo("Untagged: mybox:v1");
        Cli.Result missing = Cli.docker(daemon, "image", "inspect", "nosuchimage");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("No such image: nosuchimage");
    }

    @Test
    void export_writesTheContainersFilesystem() throws Exception {
        Cli.docker(daemon, "create", "--name", "ex1", "busybox", "true").assertOk();
        Path out = base.resolve("fs.tar");
        Cli.docker(daemon, "export", "-o", out.toString(), "ex1").assertOk();
        Cli.Result list = Cli.run(new ProcessBuilder("tar", "tf", out.toString()), null);
        assertThat(list.stdout()).contains("bin/busybox", "etc/passwd");
        assertThat(Files.size(out)).isGreaterThan(1_000_000);
        Cli.docker(daemon, "rm", "ex1").assertOk();
    }

    @Test
    void import_thenRunTheImportedImage() throws Exception {
        Cli.docker(daemon, "import", Images.busyboxTar().toString(), "dockerbox:v2").assertOk();
        assertThat(Cli.docker(daemon, "run", "--rm", "dockerbox:v2", "echo", "imported").assertOk().out()).isEqualTo("imported");
        Cli.docker(daemon, "rmi", "dockerbox:v2").assertOk();
    }

    @Test
    void create_startAttached_logsFollow_kill_restart_wait_prune() {
        Cli.docker(daemon, "create", "--name", "dc1", "busybox", "sh", "-c", "echo run; sleep 1").assertOk();
        assertThat(Cli.docker(daemon, "start", "-a", "dc1").assertOk().stdout()).isEqualTo("run\n");
        Cli.docker(daemon, "start", "dc1").assertOk();
        assertThat(Cli.docker(daemon, "logs", "-f", "dc1").assertOk().stdout()).isEqualTo("run\nrun\n");
        assertThat(Cli.docker(daemon, "wait", "dc1").assertOk().out()).isEqualTo("0");

        Cli.docker(daemon, "run", "-d", "--name", "dc2", "busybox", "sleep", "300").assertOk();
        Cli.docker(daemon, "restart", "-t", "1", "dc2").assertOk();
        assertThat(Cli.docker(daemon, "inspect", "--format", "{{.State.Status}}", "dc2").out()).isEqualTo("running");
        Cli.docker(daemon, "kill", "-s", "KILL", "dc2").assertOk();
        assertThat(Cli.docker(daemon, "wait", "dc2").assertOk().out()).isEqualTo("137");
        assertThat(Cli.docker(daemon, "container", "prune", "-f").assertOk().stdout()).contains("Deleted Containers:");
        assertThat(Cli.docker(daemon, "ps", "-aq").out()).isEmpty();
    }

    @Test
    void rmForce_removesARunningContainer() {
        Cli.docker(daemon, "run", "-d", "--name", "dc3", "busybox", "sleep", "300").assertOk();
        Cli.Result refused = Cli.docker(daemon, "rm", "dc3");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("container is running");
        Cli.docker(daemon, "rm", "-f", "dc3").assertOk();
        assertThat(Cli.docker(daemon, "ps", "-aq", "--filter", "name=dc3").out()).isEmpty();
    }
}
