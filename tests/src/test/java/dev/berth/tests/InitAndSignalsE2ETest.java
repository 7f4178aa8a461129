package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --init} (catatonit as PID 1), stop signals and timeouts (flags and the image's STOPSIGNAL), and attach's
 * signal proxy and detach keys. Needs root, the docker CLI, catatonit and util-linux {@code script}.
 */
class InitAndSignalsE2ETest extends BusyboxDaemonTest {
    /** An orphan that exits: PID 1 must reap it, or it stays a zombie. */
    private static final String ORPHAN = "(sleep 0.2 &); exec sleep 300";

    @Test
    void init_runsAsPid1_reapsOrphans_andForwardsTheStopSignal() throws Exception {
        Cli.berth(daemon, "run", "-d", "--init", "--name", "i1", "busybox", "sh", "-c", ORPHAN).assertOk();
        Cli.berth(daemon, "run", "-d", "--name", "noinit", "busybox", "sh", "-c", ORPHAN).assertOk();
        Thread.sleep(1500);
        assertThat(Cli.berth(daemon, "exec", "i1", "ps", "-o", "pid,args").assertOk().stdout())
                .contains("    1 /sbin/docker-init -- sh -c " + ORPHAN);
        // a zombie has left its cgroup already, so only ps inside the container shows it
        assertThat(Cli.berth(daemon, "exec", "i1", "ps", "-o", "stat,comm").assertOk().stdout()).doesNotContain("Z ");
        assertThat(Cli.berth(daemon, "exec", "noinit", "ps", "-o", "stat,comm").assertOk().stdout()).contains("Z ");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.HostConfig.Init}} {{.Path}}", "i1").out())
                .isEqualTo("true sh");
        // catatonit passes SIGTERM on to the shell, which (not being PID 1) dies of it at once
        long start = System.nanoTime();
        Cli.berth(daemon, "stop", "-t", "20", "i1").assertOk();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.ExitCode}}", "i1").out()).isEqualTo("143");
        assertThat(Cli.docker(daemon, "run", "--rm", "--init", "busybox", "ps", "-o", "pid,comm").assertOk().stdout())
                .contains("1 docker-init");
        Cli.berth(daemon, "rm", "-f", "i1", "noinit").assertOk();
    }

    @Test
    void daemonJsonInit_givesEveryContainerAnInit_unlessItSaysNo() throws Exception {
        java.nio.file.Path config = java.nio.file.Files.writeString(base.resolve("init.json"), "{\"init\": true}");
        try (Daemon other = new Daemon(java.nio.file.Files.createDirectories(base.resolve("init"))).withConfigFile(config)
                .start()) {
            Cli.berth(other, "import", Images.busyboxTar().toString(), "busybox:latest").assertOk();
            assertThat(Cli.berth(other, "run", "--rm", "busybox", "ps", "-o", "pid,comm").assertOk().stdout())
                    .contains("1 docker-init");
            assertThat(Cli.docker(other, "run", "--rm", "--init=false", "busybox", "ps", "-o", "pid,comm").assertOk()
                    .stdout()).contains("1 ps").doesNotContain("docker-init");
            Cli.berth(other, "create", "--name", "dflt", "busybox", "true").assertOk();
            assertThat(Cli.docker(other, "inspect", "--format", "{{.HostConfig.Init}}", "dflt").out()).isEqualTo("<nil>");
        }
    }

    @Test
    void stopSignal_andStopTimeout_fromFlags_andFromTheImage() throws Exception {
        String trap = "trap 'echo got-$0; exit 7' USR1 USR2; while true; do sleep 0.1; done";
        Cli.berth(daemon, "run", "-d", "--name", "sig1", "--stop-signal", "SIGUSR1", "busybox", "sh", "-c", trap)
                .assertOk();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.Config.StopSignal}}", "sig1").out()).isEqualTo("SIGUSR1");
        Cli.berth(daemon, "stop", "sig1").assertOk();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.ExitCode}}", "sig1").out()).isEqualTo("7");

        Cli.docker(daemon, "run", "-d", "--name", "sig2", "--stop-timeout", "1", "busybox", "sleep", "300").assertOk();
        assertThat(Cli.docker(daemon, "inspect", "--format", "{{.Config.StopTimeout}}", "sig2").out()).isEqualTo("1");
        long start = System.nanoTime();
        Cli.docker(daemon, "stop", "sig2").assertOk();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(9);
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.ExitCode}}", "sig2").out()).isEqualTo("137");

        Cli.berth(daemon, "import", "--change", "STOPSIGNAL SIGUSR2", Images.busyboxTar().toString(), "usr2box").assertOk();
        Cli.berth(daemon, "run", "-d", "--name", "sig3", "usr2box", "sh", "-c", trap).assertOk();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.Config.StopSignal}}", "sig3").out()).isEqualTo("SIGUSR2");
        Cli.berth(daemon, "stop", "sig3").assertOk();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.ExitCode}}", "sig3").out()).isEqualTo("7");

        Cli.Result bad = Cli.berth(daemon, "create", "--stop-signal", "NOSUCHSIG", "busybox", "true");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("Invalid signal: NOSUCHSIG");
        Cli.berth(daemon, "rm", "-f", "sig1", "sig2", "sig3").assertOk();
        Cli.berth(daemon, "rmi", "usr2box").assertOk();
        assertThat(Cli.berth(daemon, "ps", "-aq", "--filter", "name=sig").out()).isEmpty();
    }

    @Test
    void attach_proxiesSignals_unlessSigProxyIsFalse() throws Exception {
        String loop = "trap 'echo got-term; exit 9' TERM; while true; do echo tick; sleep 0.2; done";
        Cli.berth(daemon, "run", "-d", "--name", "a1", "busybox", "sh", "-c", loop).assertOk();
        Process attach = new ProcessBuilder(Pty.berth(daemon, "attach", "a1")).redirectErrorStream(true).start();
        String out = readUntil(attach.getInputStream(), "tick");
        new ProcessBuilder("kill", "-TERM", Long.toString(attach.pid())).start().waitFor();
        out += readUntil(attach.getInputStream(), "got-term");
        assertThat(attach.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(attach.exitValue()).isEqualTo(9);
        assertThat(out).contains("got-term");

        Cli.berth(daemon, "run", "-d", "--name", "a2", "busybox", "sh", "-c", loop).assertOk();
        Process noProxy = new ProcessBuilder(Pty.berth(daemon, "attach", "--sig-proxy=false", "a2"))
                .redirectErrorStream(true).start();
        readUntil(noProxy.getInputStream(), "tick");
        new ProcessBuilder("kill", "-TERM", Long.toString(noProxy.pid())).start().waitFor();
        assertThat(noProxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.Running}}", "a2").out()).isEqualTo("true");
        Cli.berth(daemon, "rm", "-f", "a1", "a2").assertOk();
    }

    @Test
    void attach_withCustomDetachKeys_detachesAndLeavesItRunning() throws Exception {
        Cli.berth(daemon, "run", "-dit", "--name", "dk1", "busybox", "sh").assertOk();
        Cli.Result r = Pty.run(daemon, 24, 80, Pty.berth(daemon, "attach", "--detach-keys", "ctrl-a,b", "dk1"), "",
                "echo attached-$((3*3))\n", "attached-9", "\u0001b");
        assertThat(r.stdout()).contains("attached-9");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.State.Running}}", "dk1").out()).isEqualTo("true");
        Cli.berth(daemon, "rm", "-f", "dk1").assertOk();
    }

    private static String readUntil(InputStream in, String marker) throws Exception {
        StringBuilder out = new StringBuilder();
        byte[] buffer = new byte[1024];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().contains(marker) && System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        assertThat(out.toString()).contains(marker);
        return out.toString();
    }
}
