package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Controlling running containers: pause/unpause (the freezer), top, stats, update (checked in the cgroup files too) and
 * rename, through berth and the docker CLI. Needs root, the docker CLI and curl.
 */
class PauseTopStatsE2ETest extends BusyboxDaemonTest {
    @Test
    void pause_freezesTheProcesses_psShowsPaused_andUnpauseThaws() throws Exception {
        String id = Cli.berth(daemon, "run", "-d", "--name", "p1", "busybox", "sh", "-c",
                "i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.1; done").assertOk().out();
        assertThat(Cli.berth(daemon, "pause", "p1").assertOk().out()).isEqualTo("p1");
        assertThat(Cli.berth(daemon, "ps", "--filter", "name=p1", "--format", "{{.Status}}").out()).matches("Up .* \\(Paused\\)");
        assertThat(Cli.docker(daemon, "ps", "--filter", "name=p1", "--format", "{{.Status}}").out()).endsWith("(Paused)");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.Status}} {{.State.Paused}} {{.State.Running}}", "p1")
                .out()).isEqualTo("paused true true");
        Path count = Path.of(Cli.berth(daemon, "inspect", "--format", "{{.GraphDriver.Data.MergedDir}}", "p1").out(), "tmp", "count");
        String frozen = Files.readString(count);
        Thread.sleep(500);
        assertThat(Files.readString(count)).isEqualTo(frozen);

        Cli.Result again = Cli.berth(daemon, "pause", "p1");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("Error response from daemon: container " + id + " is already paused");
        Cli.Result start = Cli.docker(daemon, "start", "p1");
        assertThat(start.stderr()).contains("cannot start a paused container, try unpause instead");

        assertThat(Cli.docker(daemon, "unpause", "p1").assertOk().out()).isEqualTo("p1");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.Status}} {{.State.Paused}}", "p1").out())
                .isEqualTo("running false");
        String thawed = frozen;
        for (int i = 0; i < 50 && thawed.equals(frozen); i++) {
            Thread.sleep(100);
            thawed = Files.readString(count);
        }
        assertThat(thawed).isNotEqualTo(frozen);
        Cli.Result notPaused = Cli.berth(daemon, "unpause", "p1");
        assertThat(notPaused.exitCode()).isEqualTo(1);
        assertThat(notPaused.stderr()).contains("Container " + id + " is not paused");
        Cli.docker(daemon, "pause", "p1").assertOk();
        Cli.berth(daemon, "rm", "-f", "p1").assertOk();

        Cli.berth(daemon, "create", "--name", "p2", "busybox", "sleep", "60").assertOk();
        Cli.Result notRunning = Cli.berth(daemon, "pause", "p2", "nosuch");
        assertThat(notRunning.exitCode()).isEqualTo(1);
        assertThat(notRunning.stderr()).contains("is not running", "No such container: nosuch");
        Cli.berth(daemon, "rm", "p2").assertOk();
    }

    @Test
    void stopAndKill_ofAPausedContainer_work() {
        Cli.berth(daemon, "run", "-d", "--name", "ps1", "busybox", "sleep", "300").assertOk();
        Cli.berth(daemon, "pause", "ps1").assertOk();
        Cli.berth(daemon, "stop", "-t", "1", "ps1").assertOk();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.Status}} {{.State.Paused}}", "ps1").out())
                .isEqualTo("exited false");
        Cli.berth(daemon, "start", "ps1").assertOk();
        Cli.berth(daemon, "pause", "ps1").assertOk();
        Cli.docker(daemon, "kill", "ps1").assertOk();
        assertThat(Cli.berth(daemon, "wait", "ps1").out()).isEqualTo("137");
        Cli.berth(daemon, "start", "ps1").assertOk();
        Cli.berth(daemon, "pause", "ps1").assertOk();
        Cli.berth(daemon, "rm", "-f", "ps1").assertOk();
        assertThat(Cli.berth(daemon, "ps", "-a", "--filter", "name=ps1", "-q").out()).isEmpty();
    }

    @Test
    void top_printsDockersTable_andPassesPsOptionsThrough() {
        String id = Cli.berth(daemon, "run", "-d", "--name", "t1", "busybox", "sh", "-c", "sleep 301 & sleep 302; true")
                .assertOk().out();
        String pid = Cli.berth(daemon, "inspect", "--format", "{{.State.Pid}}", "t1").out();
        String table = Cli.berth(daemon, "top", "t1").assertOk().stdout();
        List<String> lines = table.lines().toList();
        assertThat(lines.getFirst().split("\\s+")).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(lines.getFirst()).startsWith("UID                 PID                 ");
        assertThat(lines).hasSize(4);
        assertThat(table).contains("sleep 301", "sleep 302", "sh -c sleep 301 & sleep 302; true");
        assertThat(lines.stream().skip(1).map(l -> l.split("\\s+")[1])).contains(pid);
        assertThat(Cli.docker(daemon, "top", "t1").assertOk().stdout()).contains("sleep 301", "CMD");
        String custom = Cli.berth(daemon, "container", "top", "t1", "-o", "pid,comm").assertOk().stdout();
        assertThat(custom.lines().toList().getFirst().split("\\s+")).containsExactly("PID", "COMMAND");
        assertThat(custom).contains("sleep").doesNotContain("UID");
        assertThat(Cli.docker(daemon, "top", "t1", "-o", "pid,args").assertOk().stdout()).contains("sleep 302");
        Api.Reply api = Api.call(daemon, "GET", "/containers/t1/top?ps_args=-o%20pid", null);
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body()).startsWith("{\"Titles\":[\"PID\"],\"Processes\":[[").contains("[\"" + pid + "\"]");
        Cli.Result bad = Cli.berth(daemon, "top", "t1", "--no-such-ps-option");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("Error response from daemon: ps:");
        Cli.berth(daemon, "pause", "t1").assertOk();
        assertThat(Cli.berth(daemon, "top", "t1").assertOk().stdout()).contains("sleep 301");
        Cli.berth(daemon, "rm", "-f", "t1").assertOk();
        Cli.berth(daemon, "create", "--name", "t2", "busybox", "true").assertOk();
        String t2 = Cli.berth(daemon, "inspect", "--format", "{{.Id}}", "t2").out();
        Cli.Result stopped = Cli.berth(daemon, "top", "t2");
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.stderr()).contains("container " + t2 + " is not running");
        assertThat(Cli.berth(daemon, "top", "nosuch").stderr()).contains("No such container: nosuch");
        Cli.berth(daemon, "rm", "t2").assertOk();
        assertThat(id).hasSize(64);
    }

    @Test
    void statsNoStream_showsDockersColumns_withTheCgroupsNumbers() {
        Cli.berth(daemon, "run", "-d", "--name", "s1", "-m", "64m", "busybox", "sh", "-c", "sleep 300 & sleep 301; true")
                .assertOk();
        Cli.berth(daemon, "run", "-d", "--name", "s2", "busybox", "sh", "-c", "while :; do :; done").assertOk();
        String table = Cli.berth(daemon, "stats", "--no-stream", "s1", "s2").assertOk().stdout();
        List<String> lines = table.lines().toList();
        assertThat(lines.getFirst()).matches(
                "CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS");
        assertThat(lines.get(1)).matches("[0-9a-f]{12} +s1 +\\d+\\.\\d\\d% +[0-9.]+[KMG]?i?B / 64MiB +\\d+\\.\\d\\d% +\\S+ / \\S+ +\\S+ / \\S+ +3");
        String busy = lines.get(2);
        assertThat(busy).startsWith(lines.get(2).substring(0, 12)).contains(" s2 ");
        double cpu = Double.parseDouble(busy.split("\\s+")[2].replace("%", ""));
        assertThat(cpu).as(busy).isGreaterThan(5.0);

        String docker = Cli.docker(daemon, "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}}", "s1")
                .assertOk().out();
        assertThat(docker).matches("s1 [0-9.]+[KMG]?i?B / 64MiB 3");
        String dockerBusy = Cli.docker(daemon, "stats", "--no-stream", "--format", "{{.CPUPerc}}", "s2").assertOk().out();
        assertThat(Double.parseDouble(dockerBusy.replace("%", ""))).isGreaterThan(5.0);

        String id = Cli.berth(daemon, "inspect", "--format", "{{.Id}}", "s1").out();
        assertThat(Cli.berth(daemon, "stats", "--no-stream", "--no-trunc", "--format", "{{.ID}}", "s1").out()).isEqualTo(id);
        assertThat(Cli.berth(daemon, "stats", "--no-stream", "--format", "json", "s1").out())
                .startsWith("{\"BlockIO\":").contains("\"Name\":\"s1\"", "\"PIDs\":\"3\"", "\"Container\":\"s1\"");
        assertThat(Cli.berth(daemon, "stats", "--no-stream", "--format", "table {{.Container}}\t{{.PIDs}}").out())
                .startsWith("CONTAINER").contains("PIDS");

        Api.Reply json = Api.call(daemon, "GET", "/containers/s1/stats?stream=false", null);
        assertThat(json.body()).contains("\"read\":", "\"preread\":", "\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":",
                "\"precpu_stats\":", "\"memory_stats\":{\"usage\":", "\"limit\":67108864", "\"pids_stats\":{\"current\":3",
                "\"blkio_stats\":{\"io_service_bytes_recursive\":", "\"system_cpu_usage\":", "\"online_cpus\":",
                "\"name\":\"/s1\"", "\"id\":\"" + id + "\"");
        assertThat(json.body()).doesNotContain("\"preread\":\"0001-01-01T00:00:00Z\"");
        Api.Reply oneShot = Api.call(daemon, "GET", "/containers/s1/stats?stream=false&one-shot=true", null);
        assertThat(oneShot.body()).contains("\"preread\":\"0001-01-01T00:00:00Z\"");

        Cli.berth(daemon, "create", "--name", "s3", "busybox", "true").assertOk();
        String all = Cli.berth(daemon, "stats", "--no-stream", "-a").assertOk().stdout();
        assertThat(all).contains(" s1 ", " s2 ", " s3 ");
        assertThat(all.lines().filter(l -> l.contains(" s3 ")).findFirst().orElseThrow())
                .contains("0.00%", "0B / 0B", "0.00%");
        assertThat(Cli.berth(daemon, "stats", "--no-stream").assertOk().stdout()).doesNotContain(" s3 ");
        assertThat(Cli.berth(daemon, "stats", "--no-stream", "nosuch").stderr()).contains("No such container: nosuch");
        Cli.berth(daemon, "rm", "-f", "s1", "s2", "s3").assertOk();
    }

    @Test
    void stats_streams_redrawingTheTableEverySecond() throws Exception {
        Cli.berth(daemon, "run", "-d", "--name", "live1", "busybox", "sleep", "300").assertOk();
        List<String> cmd = new ArrayList<>(Pty.berth(daemon, "stats", "live1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (InputStream in = p.getInputStream()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            byte[] buffer = new byte[4096];
            while (out.toString().split("CONTAINER ID", -1).length < 4 && System.nanoTime() < deadline) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(out.toString().split("CONTAINER ID", -1).length).as(out.toString()).isGreaterThanOrEqualTo(4);
        assertThat(out.toString()).contains(" live1 ");
        Api.Reply stream = Api.call(daemon, "GET", "/containers/live1/stats?stream=true", null, 4);
        // curl's time limit ends the endless stream: a reading a second, each one line of JSON
        assertThat(stream.body().lines().filter(l -> l.startsWith("{\"name\":\"/live1\"")).count()).isGreaterThan(2);
        Cli.berth(daemon, "rm", "-f", "live1").assertOk();
    }

    @Test
    void update_changesLimitsOfARunningContainer_inInspectAndInTheCgroup() throws Exception {
        Cli.berth(daemon, "run", "-d", "--name", "u1", "busybox", "sleep", "300").assertOk();
        assertThat(Cli.berth(daemon, "update", "--memory", "64m", "--cpus", "0.5", "--pids-limit", "50", "--restart",
                "on-failure:2", "u1").assertOk().out()).isEqualTo("u1");
        assertThat(Cli.berth(daemon, "inspect", "--format",
                "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}"
                        + " {{.HostConfig.RestartPolicy.MaximumRetryCount}}", "u1").out())
                .isEqualTo("67108864 500000000 50 on-failure 2");
        long pid = Long.parseLong(Cli.berth(daemon, "inspect", "--format", "{{.State.Pid}}", "u1").out());
        assertThat(cgroupValue(pid, "memory", "memory.limit_in_bytes", "memory.max")).isEqualTo("67108864");
        assertThat(cgroupValue(pid, "pids", "pids.max", "pids.max")).isEqualTo("50");
        assertThat(cgroupValue(pid, "cpu", "cpu.cfs_quota_us", "cpu.max")).startsWith("50000");

        Cli.docker(daemon, "update", "--memory", "32m", "--pids-limit", "20", "u1").assertOk();
        assertThat(cgroupValue(pid, "memory", "memory.limit_in_bytes", "memory.max")).isEqualTo("33554432");
        assertThat(cgroupValue(pid, "pids", "pids.max", "pids.max")).isEqualTo("20");
        assertThat(Cli.docker(daemon, "inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", "u1").out())
                .isEqualTo("33554432 500000000");
        assertThat(Cli.berth(daemon, "stats", "--no-stream", "--format", "{{.MemUsage}}", "u1").out()).endsWith("/ 32MiB");

        Cli.Result small = Cli.berth(daemon, "update", "--memory", "1m", "u1");
        assertThat(small.exitCode()).isEqualTo(1);
        assertThat(small.stderr()).contains("Minimum memory limit allowed is 6MB");
        Cli.Result policy = Cli.berth(daemon, "update", "--restart", "sometimes", "u1");
        assertThat(policy.stderr()).contains("invalid restart policy 'sometimes'");
        Cli.Result none = Cli.berth(daemon, "update", "u1");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr()).contains("you must provide one or more flags when using this command");
        assertThat(Cli.berth(daemon, "update", "--cpus", "1", "nosuch").stderr()).contains("No such container: nosuch");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.HostConfig.Memory}}", "u1").out()).isEqualTo("33554432");

        Cli.berth(daemon, "stop", "-t", "0", "u1").assertOk();
        Cli.berth(daemon, "update", "--memory", "48m", "u1").assertOk();
        Cli.berth(daemon, "start", "u1").assertOk();
        long restarted = Long.parseLong(Cli.berth(daemon, "inspect", "--format", "{{.State.Pid}}", "u1").out());
        assertThat(cgroupValue(restarted, "memory", "memory.limit_in_bytes", "memory.max")).isEqualTo("50331648");
        Cli.berth(daemon, "rm", "-f", "u1").assertOk();
    }

    /** A cgroup file of the process: v1 (per controller) or v2 (unified), as this host mounts them. */
    private static String cgroupValue(long pid, String controller, String v1File, String v2File) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
        Path root = Path.of("/sys/fs/cgroup");
        if (!Files.exists(root.resolve("cgroup.controllers"))) {
            for (String line : lines) {
                String[] f = line.split(":", 3);
                if (List.of(f[1].split(",")).contains(controller)) {
                    return Files.readString(root.resolve(controller).resolve(f[2].substring(1)).resolve(v1File)).strip();
                }
            }
        }
        String path = lines.stream().filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
        return Files.readString(root.resolve(path.substring(1)).resolve(v2File)).strip();
    }

    @Test
    void rename_changesTheName_withDockersErrors() {
        Cli.berth(daemon, "run", "-d", "--name", "r1", "busybox", "sleep", "300").assertOk();
        String other = Cli.berth(daemon, "create", "--name", "r-other", "busybox", "true").assertOk().out();
        assertThat(Cli.berth(daemon, "rename", "r1", "r2").assertOk().stdout()).isEmpty();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.Name}}", "r2").out()).isEqualTo("/r2");
        assertThat(Cli.berth(daemon, "exec", "r2", "true").exitCode()).isZero();
        Cli.docker(daemon, "rename", "r2", "r3").assertOk();
        assertThat(Cli.docker(daemon, "ps", "--filter", "name=r3", "--format", "{{.Names}}").out()).isEqualTo("r3");
        assertThat(Cli.berth(daemon, "inspect", "r1").stderr()).contains("No such object: r1");

        Cli.Result taken = Cli.berth(daemon, "rename", "r3", "r-other");
        assertThat(taken.exitCode()).isEqualTo(1);
        assertThat(taken.stderr()).contains("Error response from daemon: Error when allocating new name: Conflict. "
                + "The container name \"/r-other\" is already in use by container \"" + other
                + "\". You have to remove (or rename) that container to be able to reuse that name.");
        assertThat(Cli.berth(daemon, "rename", "r3", "r3").stderr())
                .contains("Renaming a container with the same name as its current name");
        assertThat(Cli.berth(daemon, "rename", "r3", "bad name").stderr())
                .contains("Invalid container name (/bad name), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThat(Cli.docker(daemon, "rename", "nosuch", "x").stderr()).contains("No such container: nosuch");
        assertThat(Cli.berth(daemon, "rename", "r3").stderr()).contains("'berth rename' requires 2 arguments");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.Name}}", "r3").out()).isEqualTo("/r3");
        Cli.berth(daemon, "rm", "-f", "r3", "r-other").assertOk();
    }
}
