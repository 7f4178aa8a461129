package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every container and image verb of the foundation through the berth CLI, on real containers. Needs root. */
class ContainerVerbsE2ETest extends BusyboxDaemonTest {
    private static Cli.Result berth(String... args) {
        return Cli.berth(daemon, args);
    }

    @Test
    void ps_listsWithDockersColumnsFiltersAndFormats() {
        String running = berth("run", "-d", "--name", "ps-run", "busybox", "sleep", "300").assertOk().out();
        berth("run", "--name", "ps-done", "busybox", "true").assertOk();
        String table = berth("ps").stdout();
        assertThat(table.lines().findFirst().orElseThrow())
                .matches("CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES");
        assertThat(table).contains(running.substring(0, 12)).contains("\"sleep 300\"").contains("Up ").doesNotContain("ps-done");
        assertThat(berth("ps", "-a").stdout()).contains("ps-done").contains("Exited (0) ");
        assertThat(berth("ps", "-q").out()).isEqualTo(running.substring(0, 12));
        assertThat(berth("ps", "-q", "--no-trunc").out()).isEqualTo(running);
        assertThat(berth("ps", "-l", "--format", "{{.Names}}").out()).isEqualTo("ps-done");
        assertThat(berth("ps", "-a", "-f", "status=exited", "-f", "name=ps-", "--format", "{{.Names}}").out()).isEqualTo("ps-done");
        assertThat(berth("ps", "--format", "table {{.Names}}\t{{.Image}}").stdout()).startsWith("NAMES").contains("ps-run");
        berth("rm", "-f", "ps-run", "ps-done").assertOk();
    }

    @Test
    void logs_tail_timestamps_since_andFollowUntilExit() {
        berth("run", "-d", "--name", "lg", "busybox", "sh", "-c", "for i in 1 2 3 4 5 6 7; do echo line$i; done; echo err >&2; sleep 2")
                .assertOk();
        Cli.Result follow = berth("logs", "-f", "lg"); // returns when the container exits
        assertThat(follow.stdout()).startsWith("line1\n").endsWith("line7\n");
        assertThat(follow.stderr()).isEqualTo("err\n");
        assertThat(berth("logs", "--tail", "2", "lg").stdout() + berth("logs", "--tail", "2", "lg").stderr()).contains("line7\n", "err\n")
                .doesNotContain("line5");
        assertThat(berth("logs", "-t", "--tail", "1", "lg").stderr()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z err\n");
        assertThat(berth("logs", "--since", "2m", "lg").stdout()).contains("line3"); // relative, with room for a loaded machine
        assertThat(berth("logs", "--since", "2000-01-01T00:00:00Z", "--until", "2000-01-02T00:00:00Z", "lg").stdout()).isEmpty();
        berth("rm", "lg").assertOk();
    }

    @Test
    void kill_restart_start_wait_andRmV() {
        berth("run", "-d", "--name", "k1", "busybox", "sh", "-c", "trap 'echo got-hup' HUP; echo ready; while true; do sleep 0.2; done")
                .assertOk();
        waitForLog("k1", "ready");
        berth("kill", "-s", "HUP", "k1").assertOk();
        waitForLog("k1", "got-hup");
        assertThat(berth("inspect", "k1", "--format", "{{.State.Status}}").out()).isEqualTo("running");
        String started = berth("inspect", "k1", "--format", "{{.State.StartedAt}}").out();
        berth("restart", "-t", "1", "k1").assertOk();
        assertThat(berth("inspect", "k1", "--format", "{{.State.Status}}").out()).isEqualTo("running");
        assertThat(berth("inspect", "k1", "--format", "{{.State.StartedAt}}").out()).isNotEqualTo(started);
        berth("kill", "k1").assertOk();
        assertThat(berth("wait", "k1").out()).isEqualTo("137");
        berth("start", "k1").assertOk();
        assertThat(berth("inspect", "k1", "--format", "{{.State.Status}}").out()).isEqualTo("running");
        berth("stop", "-t", "1", "k1").assertOk();
        berth("rm", "-v", "k1").assertOk();
        assertThat(berth("ps", "-aq", "-f", "name=k1").out()).isEmpty();
    }

    @Test
    void startAi_connectsStdinAndOutput() {
        berth("create", "-i", "--name", "cat1", "busybox", "cat").assertOk();
        Cli.Result r = Cli.berthWithInput(daemon, "through stdin\n".getBytes(StandardCharsets.UTF_8), "start", "-ai", "cat1");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("through stdin\n");
        berth("rm", "cat1").assertOk();
    }

    @Test
    void user_workdir_env_hostname_andInspectFormats() {
        Cli.Result r = berth("run", "--rm", "-e", "A=1", "-w", "/made/here", "-u", "1000:1000", "--hostname", "h1", "busybox",
                "sh", "-c", "id -u; id -g; pwd; echo $A $HOSTNAME; cat /etc/hostname; echo $PATH");
        assertThat(r.assertOk().stdout()).isEqualTo("1000\n1000\n/made/here\n1 h1\nh1\n"
                + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
        assertThat(berth("run", "--rm", "-u", "nobody", "busybox", "id", "-un").assertOk().out()).isEqualTo("nobody");
        berth("create", "--name", "insp", "-e", "A=1", "--hostname", "h2", "busybox", "true").assertOk();
        assertThat(berth("inspect", "insp", "--format", "{{.State.Status}} {{.Config.Hostname}} {{json .Config.Env}}").out())
                .isEqualTo("created h2 [\"A=1\"]"); // an imported image has no Env of its own
        berth("rm", "insp").assertOk();
    }

    @Test
    void isolation_namespacesCapabilitiesAndMaskedPaths() {
        String out = berth("run", "--rm", "busybox", "sh", "-c",
                "echo pid1=$(cat /proc/1/cmdline | tr '\\0' ' '); ls /sys/class/net; grep CapEff /proc/self/status;"
                        + " echo timer_list=$(wc -c < /proc/timer_list);"
                        + " touch /proc/sys/x 2>/dev/null || echo proc-sys-ro; ls /dev; mount | grep -c ' /dev/shm '")
                .assertOk().stdout();
        assertThat(out).contains("pid1=sh -c").contains("lo\n").contains("eth0"); // on the default bridge
        assertThat(out).contains("CapEff:\t00000000a80425fb"); // Docker's default set
        assertThat(out).contains("timer_list=0").contains("proc-sys-ro");
        assertThat(out).contains("null").contains("zero").contains("urandom").contains("pts").contains("shm");
    }

    @Test
    void networkHost_seesTheHostsInterfaces() {
        String host = berth("run", "--rm", "--network", "host", "busybox", "ls", "/sys/class/net").assertOk().stdout();
        assertThat(host.lines().count()).isGreaterThan(1);
    }

    @Test
    void limits_areEnforcedByCgroups() {
        String out = berth("run", "--rm", "-m", "64m", "--cpus", "0.5", "--pids-limit", "20", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes;"
                        + " cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max;"
                        + " cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us")
                .assertOk().stdout();
        assertThat(out.lines().toList()).containsExactly("67108864", "20", out.contains("100000") ? "50000 100000" : "50000");
    }

    @Test
    void filesystemChanges_surviveStopAndStart() {
        assertThat(berth("run", "--name", "fs1", "busybox", "sh", "-c", "cat /kept 2>/dev/null; echo kept > /kept").assertOk().out())
                .isEmpty();
        assertThat(berth("start", "-a", "fs1").assertOk().out()).isEqualTo("kept");
        Cli.Result r = berth("run", "--rm", "busybox", "sh", "-c", "test -e /kept || echo fresh");
        assertThat(r.out()).isEqualTo("fresh");
        berth("rm", "fs1").assertOk();
    }

    @Test
    void images_tag_inspect_rmi_export_prune() throws Exception {
        assertThat(berth("images").stdout().lines().findFirst().orElseThrow())
                .matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
        String id = berth("image", "ls", "-q", "busybox").out();
        assertThat(id).matches("[0-9a-f]{12}");
        berth("tag", "busybox", "mybox:v1").assertOk();
        assertThat(berth("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").stdout()).contains("mybox:v1 " + id);
        assertThat(berth("inspect", "--format", "{{.Id}} {{.Os}}", "busybox").out()).startsWith("sha256:" + id).endsWith(" linux");
        assertThat(berth("rmi", "mybox:v1").assertOk().out()).isEqualTo("Untagged: mybox:v1");

        berth("create", "--name", "ex", "busybox", "true").assertOk();
        Path tar = base.resolve("fs.tar");
        berth("export", "ex", "-o", tar.toString()).assertOk();
        Cli.Result list = Cli.run(new ProcessBuilder("tar", "-tf", tar.toString()), null);
        assertThat(list.stdout()).contains("bin/busybox").contains("etc/passwd");
        assertThat(Files.size(tar)).isGreaterThan(500_000);

        Cli.Result prune = Cli.berthWithInput(daemon, "y\n".getBytes(StandardCharsets.UTF_8), "container", "prune");
        assertThat(prune.assertOk().stdout()).contains("Deleted Containers:").contains("Total reclaimed space:");
        assertThat(berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void version_info_andHelp() {
        assertThat(berth("version").assertOk().stdout()).contains("Client:").contains("Server:").contains("API version:");
        assertThat(berth("info", "--format", "{{.Driver}} {{.OSType}}").assertOk().out()).isEqualTo("overlay2 linux");
        assertThat(berth("run", "--help").assertOk().stdout()).contains("Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]");
        assertThat(berth("ps", "--help").assertOk().stdout()).contains("--no-trunc");
    }

    private static void waitForLog(String container, String expected) {
        for (int i = 0; i < 100; i++) {
            if (berth("logs", container).stdout().contains(expected)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError(container + " never logged " + expected);
    }

    @Test
    void runtime_crunRunsWhereTheHostAllowsIt_andUnknownRuntimesAreRefusedAtCreate() throws Exception {
        Path unified = Path.of("/sys/fs/cgroup/unified/cgroup.controllers");
        boolean crunRefusesHost = Files.exists(unified) && !Files.readString(unified).isBlank();
        Cli.Result crun = berth("run", "--rm", "--runtime", "crun", "busybox", "echo", "from-crun");
        if (crunRefusesHost) {
            assertThat(crun.exitCode()).isEqualTo(125);
            assertThat(crun.stderr()).contains("runtime crun cannot run containers on this host: the host has hybrid cgroups");
        } else {
            assertThat(crun.assertOk().out()).isEqualTo("from-crun");
        }
        Cli.Result kata = berth("create", "--runtime", "kata", "busybox", "true");
        assertThat(kata.exitCode()).isEqualTo(125);
        assertThat(kata.stderr()).contains("unknown or invalid runtime name: kata");
        assertThat(berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void names_defaultToAdjectiveUnderscoreSurname() {
        String id = berth("create", "busybox", "true").assertOk().out();
        assertThat(berth("inspect", "--format", "{{.Name}}", id).out()).matches("/[a-z]+_[a-z]+");
        berth("rm", id).assertOk();
    }
}
