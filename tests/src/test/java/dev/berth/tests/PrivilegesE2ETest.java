package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --privileged}, {@code --cap-add}/{@code --cap-drop}, {@code --security-opt} and sharing the host's pid, ipc
 * and uts namespaces, as in the seeds' {@code docker run --net=host --ipc=host --uts=host --pid=host
 * --security-opt=seccomp=unconfined --privileged}. Needs root.
 */
class PrivilegesE2ETest extends BusyboxDaemonTest {
    @Test
    void hostNamespaces_privileged_theSeedsEscapeHatch() throws Exception {
        String out = Cli.docker(daemon, "run", "--rm", "--net=host", "--ipc=host", "--uts=host", "--pid=host",
                "--security-opt=seccomp=unconfined", "--privileged", "busybox", "sh", "-c",
                "hostname; readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc; ls /sys/class/net").assertOk().stdout();
        String[] lines = out.split("\n");
        assertThat(lines[0]).isEqualTo(InetAddress.getLocalHost().getHostName());
        assertThat(lines[1]).isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
        assertThat(lines[2]).isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/ipc")).toString());
        assertThat(out).contains("lo");

        assertThat(Cli.berth(daemon, "inspect", "-f", "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}",
                create("--pid", "host", "--ipc", "host", "--uts", "host")).assertOk().out()).isEqualTo("host host host");
        assertThat(Cli.berth(daemon, "inspect", "-f", "{{.HostConfig.PidMode}}|{{.HostConfig.IpcMode}}|{{.HostConfig.Privileged}}",
                create()).assertOk().out()).isEqualTo("|private|false");
        Cli.berth(daemon, "container", "prune", "-f").assertOk();
    }

    @Test
    void privilegedAndCapabilities_decideWhatRootMayDo() {
        String mountTmpfs = "mount -t tmpfs none /tmp && echo mounted";
        assertThat(Cli.berth(daemon, "run", "--rm", "busybox", "sh", "-c", mountTmpfs).exitCode()).isNotZero();
        assertThat(Cli.berth(daemon, "run", "--rm", "--privileged", "busybox", "sh", "-c", mountTmpfs).assertOk().out())
                .isEqualTo("mounted");
        assertThat(Cli.berth(daemon, "run", "--rm", "--cap-add", "SYS_ADMIN", "busybox", "sh", "-c", mountTmpfs)
                .assertOk().out()).isEqualTo("mounted");
        assertThat(Cli.berth(daemon, "run", "--rm", "--cap-drop", "CHOWN", "busybox", "chown", "1", "/tmp").exitCode())
                .isNotZero();
        assertThat(Cli.berth(daemon, "run", "--rm", "--security-opt", "no-new-privileges", "busybox", "grep",
                "NoNewPrivs", "/proc/self/status").assertOk().out()).matches("NoNewPrivs:\\s+1");
    }

    @Test
    void badModes_areRefusedInDockersWords_andLeaveNothing() {
        Cli.Result pid = Cli.berth(daemon, "run", "--rm", "--pid", "bogus", "busybox", "true");
        assertThat(pid.exitCode()).isEqualTo(125);
        assertThat(pid.stderr()).contains("--pid: invalid PID mode");
        Cli.Result opt = Cli.berth(daemon, "run", "--rm", "--security-opt", "bogus=1", "busybox", "true");
        assertThat(opt.exitCode()).isEqualTo(125);
        assertThat(opt.stderr()).contains("invalid --security-opt 2: \"bogus=1\"");
        Cli.Result cap = Cli.berth(daemon, "run", "--rm", "--cap-add", "NOT_A_CAP", "busybox", "true");
        assertThat(cap.exitCode()).isNotZero();
        assertThat(Cli.berth(daemon, "ps", "-aq").assertOk().out()).isEmpty();
    }

    private static String create(String... flags) {
        List<String> args = new ArrayList<>(List.of("create"));
        args.addAll(List.of(flags));
        args.addAll(List.of("busybox", "true"));
        return Cli.berth(daemon, args.toArray(String[]::new)).assertOk().out();
    }
}
