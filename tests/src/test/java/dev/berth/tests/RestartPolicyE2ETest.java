package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Restart policies on real containers: Docker's back-off, RestartCount, "Restarting" in ps, the user's stop winning,
 * and containers coming back when the daemon starts after a crash or a reboot. Needs root.
 */
class RestartPolicyE2ETest extends BusyboxDaemonTest {
    private static Cli.Result berth(String... args) {
        return Cli.berth(daemon, args);
    }

    private static String inspect(String name, String format) {
        return berth("inspect", "--format", format, name).assertOk().out();
    }

    /** Polls {@code inspect} until the value satisfies {@code ok}, for at most {@code seconds}; returns the last value. */
    private static String awaitInspect(String name, String format, Predicate<String> ok, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String value = inspect(name, format);
        while (!ok.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = inspect(name, format);
        }
        return value;
    }

    @Test
    void onFailure_restartsUpToItsMaximum_andCountsRestarts() throws Exception {
        berth("run", "-d", "--name", "of1", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 3").assertOk();
        assertThat(awaitInspect("of1", "{{.State.Status}} {{.RestartCount}}", "exited 2"::equals, 20)).isEqualTo("exited 2");
        Thread.sleep(1000);
        assertThat(inspect("of1", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} {{.HostConfig.RestartPolicy.Name}}"
                + " {{.HostConfig.RestartPolicy.MaximumRetryCount}}")).isEqualTo("exited 3 2 on-failure 2");
        assertThat(berth("logs", "of1").assertOk().stdout()).isEmpty();
        berth("run", "-d", "--name", "of2", "--restart", "on-failure", "busybox", "true").assertOk();
        assertThat(awaitInspect("of2", "{{.State.Status}}", "exited"::equals, 10)).isEqualTo("exited");
        assertThat(inspect("of2", "{{.RestartCount}}")).isEqualTo("0");
        berth("rm", "of1", "of2").assertOk();
    }

    @Test
    void always_showsRestartingInPs_stopWins_andRmForceRemovesARestartingContainer() throws Exception {
        berth("run", "-d", "--name", "al1", "--restart", "always", "busybox", "sh", "-c", "echo ran; exit 1").assertOk();
        // the back-off doubles from 100 ms: after 4 restarts the container waits 1.6 s, long enough for ps and
        // inspect to both see it waiting
        String status = "";
        for (int i = 0; i < 150 && !(status.startsWith("Restarting (1)")
                && Integer.parseInt(inspect("al1", "{{.RestartCount}}")) >= 4); i++) {
            Thread.sleep(100);
            status = berth("ps", "--filter", "name=al1", "--format", "{{.Status}}").out();
        }
        assertThat(status).matches("Restarting \\(1\\) .* ago");
        assertThat(inspect("al1", "{{.State.Restarting}} {{.State.Running}}")).isEqualTo("true true");
        assertThat(Integer.parseInt(inspect("al1", "{{.RestartCount}}"))).isGreaterThanOrEqualTo(3);
        assertThat(berth("logs", "al1").stdout()).startsWith("ran\nran\nran\n");
        Cli.Result refused = berth("rm", "al1");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("container is restarting: stop the container before removing or force remove");
        berth("rm", "-f", "al1").assertOk();
        assertThat(berth("ps", "-aq", "--filter", "name=al1").out()).isEmpty();

        berth("run", "-d", "--name", "al2", "--restart", "always", "busybox", "sleep", "300").assertOk();
        berth("stop", "-t", "1", "al2").assertOk();
        Thread.sleep(1500);
        assertThat(inspect("al2", "{{.State.Status}} {{.RestartCount}}")).isEqualTo("exited 0");
        berth("start", "al2").assertOk();
        berth("kill", "-s", "KILL", "al2").assertOk();
        Thread.sleep(1500);
        assertThat(inspect("al2", "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 137");
        berth("rm", "al2").assertOk();
    }

    @Test
    void daemonCrashAndReboot_bringBackAlwaysAndUnlessStopped_butNotWhatTheUserStopped() throws Exception {
        berth("run", "-d", "--name", "cr-always", "--restart", "always", "busybox", "sleep", "300").assertOk();
        berth("run", "-d", "--name", "cr-always-stopped", "--restart", "always", "busybox", "sleep", "300").assertOk();
        berth("run", "-d", "--name", "cr-unless", "--restart", "unless-stopped", "busybox", "sleep", "300").assertOk();
        berth("run", "-d", "--name", "cr-unless-stopped", "--restart", "unless-stopped", "busybox", "sleep", "300").assertOk();
        berth("run", "-d", "--name", "cr-no", "busybox", "sleep", "300").assertOk();
        berth("stop", "-t", "0", "cr-always-stopped", "cr-unless-stopped").assertOk();

        // a crash: the daemon dies, containers live on under conmon
        daemon.kill9();
        daemon.start();
        assertThat(awaitInspect("cr-always-stopped", "{{.State.Status}}", "running"::equals, 20)).isEqualTo("running");
        assertThat(inspect("cr-unless-stopped", "{{.State.Status}}")).isEqualTo("exited");
        assertThat(inspect("cr-always", "{{.State.Status}}")).isEqualTo("running");
        assertThat(inspect("cr-no", "{{.State.Status}}")).isEqualTo("running");

        // a reboot: daemon, conmon and containers die, the exec root (a tmpfs) and the mounts are gone
        List<String> pids = new java.util.ArrayList<>();
        for (String name : List.of("cr-always", "cr-always-stopped", "cr-unless", "cr-no")) {
            pids.addAll(conmonAndContainerPids(name));
        }
        daemon.kill9();
        List<String> kill = new java.util.ArrayList<>(List.of("kill", "-9"));
        kill.addAll(pids);
        Cli.run(new ProcessBuilder(kill), null);
        wipeAsAReboot();
        daemon.start();
        for (String name : List.of("cr-always", "cr-always-stopped", "cr-unless")) {
            assertThat(awaitInspect(name, "{{.State.Status}}", "running"::equals, 20)).as(name).isEqualTo("running");
        }
        assertThat(inspect("cr-no", "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 255");
        assertThat(inspect("cr-unless-stopped", "{{.State.Status}}")).isEqualTo("exited");
        berth("rm", "-f", "cr-always", "cr-always-stopped", "cr-unless", "cr-unless-stopped", "cr-no").assertOk();
    }

    private static List<String> conmonAndContainerPids(String name) throws IOException {
        String id = inspect(name, "{{.Id}}");
        Path conmonPid = daemon.execRoot.resolve("containers").resolve(id).resolve("conmon.pid");
        return List.of(Files.readString(conmonPid).strip(), inspect(name, "{{.State.Pid}}"));
    }

    /** What a reboot leaves: no mounts of the data root or the exec root (namespace files), an empty exec root. */
    private static void wipeAsAReboot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")).reversed()) {
            String mountPoint = line.split(" ")[4];
            if (mountPoint.startsWith(daemon.dataRoot.toString()) || mountPoint.startsWith(daemon.execRoot + "/")) {
                Cli.run(new ProcessBuilder("umount", "-l", mountPoint), null);
            }
        }
        try (Stream<Path> paths = Files.walk(daemon.execRoot)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(daemon.execRoot)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void badPolicies_getDockersMessages_andLeaveNothingBehind_throughBerthAndDocker() {
        for (boolean docker : new boolean[] {false, true}) {
            Cli.Result unknown = run(docker, "run", "-d", "--restart", "sometimes", "busybox", "true");
            assertThat(unknown.exitCode()).isEqualTo(125);
            assertThat(unknown.stderr()).contains("Error response from daemon: invalid restart policy: unknown policy 'sometimes';"
                    + " use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
            Cli.Result count = run(docker, "create", "--restart", "always:3", "busybox", "true");
            assertThat(count.exitCode()).isNotZero();
            assertThat(count.stderr()).contains("invalid restart policy: maximum retry count can only be used with 'on-failure'");
            Cli.Result format = run(docker, "run", "--restart", "on-failure:x", "busybox", "true");
            assertThat(format.exitCode()).isEqualTo(125);
            assertThat(format.stderr()).contains("invalid restart policy format: maximum retry count must be an integer");
            Cli.Result rm = run(docker, "run", "--rm", "--restart", "always", "busybox", "true");
            assertThat(rm.exitCode()).isEqualTo(125);
            assertThat(rm.stderr()).contains("conflicting options: cannot specify both --restart and --rm");
        }
        assertThat(berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void dockerCli_runsAndInspectsRestartPolicies() throws Exception {
        Cli.docker(daemon, "run", "-d", "--name", "dk1", "--restart=on-failure:1", "busybox", "sh", "-c", "exit 2").assertOk();
        assertThat(awaitInspect("dk1", "{{.State.Status}} {{.RestartCount}}", "exited 1"::equals, 20)).isEqualTo("exited 1");
        assertThat(Cli.docker(daemon, "inspect", "-f", "{{.RestartCount}} {{.HostConfig.RestartPolicy.Name}} {{.State.ExitCode}}", "dk1")
                .assertOk().out()).isEqualTo("1 on-failure 2");
        Cli.docker(daemon, "rm", "dk1").assertOk();
    }

    private static Cli.Result run(boolean docker, String... args) {
        return docker ? Cli.docker(daemon, args) : Cli.berth(daemon, args);
    }
}
