package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code cp} both ways, on running and stopped containers, into volumes, as tar streams, with -a; and the escapes it
 * must refuse: symlinks in the container pointing at "/" or "..", and uploaded tars with ".." or links out. Needs root.
 */
class CpE2ETest extends BusyboxDaemonTest {
    @Test
    void hostToContainer_andBack_runningAndStopped() throws Exception {
        Path dir = Files.createDirectories(base.resolve("cp1/site"));
        Files.writeString(dir.resolve("index.html"), "hello\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/a.txt"), "a\n");
        Cli.berth(daemon, "run", "-d", "--name", "cp1", "busybox", "sleep", "300").assertOk();
        Cli.berth(daemon, "cp", dir.toString(), "cp1:/tmp").assertOk();
        Cli.berth(daemon, "cp", dir.resolve("index.html").toString(), "cp1:/tmp/renamed.html").assertOk();
        assertThat(Cli.berth(daemon, "exec", "cp1", "sh", "-c",
                "cat /tmp/site/index.html /tmp/site/sub/a.txt /tmp/renamed.html; stat -c %u:%g /tmp/site/index.html")
                .assertOk().out()).isEqualTo("hello\na\nhello\n0:0");

        Cli.berth(daemon, "exec", "cp1", "sh", "-c", "mkdir -p /out/d && echo from-container > /out/d/f && ln -s f /out/d/l")
                .assertOk();
        Path back = Files.createDirectories(base.resolve("cp1/back"));
        Cli.berth(daemon, "cp", "cp1:/out/d", back.toString()).assertOk();
        assertThat(Files.readString(back.resolve("d/f"))).isEqualTo("from-container\n");
        assertThat(Files.readSymbolicLink(back.resolve("d/l")).toString()).isEqualTo("f");
        Cli.berth(daemon, "cp", "cp1:/out/d/f", back.resolve("single.txt").toString()).assertOk();
        assertThat(Files.readString(back.resolve("single.txt"))).isEqualTo("from-container\n");
        Cli.berth(daemon, "cp", "cp1:/out/d", back.resolve("newname").toString()).assertOk();
        assertThat(Files.readString(back.resolve("newname/f"))).isEqualTo("from-container\n");

        Cli.berth(daemon, "stop", "-t", "0", "cp1").assertOk();
        Files.writeString(base.resolve("cp1/late.txt"), "late\n");
        Cli.berth(daemon, "cp", base.resolve("cp1/late.txt").toString(), "cp1:/tmp/").assertOk();
        Cli.berth(daemon, "cp", "cp1:/tmp/site/sub/a.txt", back.resolve("stopped.txt").toString()).assertOk();
        assertThat(Files.readString(back.resolve("stopped.txt"))).isEqualTo("a\n");
        Cli.berth(daemon, "start", "cp1").assertOk();
        assertThat(Cli.berth(daemon, "exec", "cp1", "cat", "/tmp/late.txt").assertOk().out()).isEqualTo("late");

        Cli.Result missing = Cli.berth(daemon, "cp", "cp1:/nonexistent", back.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("Could not find the file /nonexistent in container cp1");
        Cli.berth(daemon, "rm", "-f", "cp1").assertOk();
    }

    @Test
    void tarStreams_archiveMode_andVolumes() throws Exception {
        Cli.berth(daemon, "volume", "create", "cpvol").assertOk();
        Cli.berth(daemon, "create", "--name", "cp2", "-v", "cpvol:/data", "busybox", "sleep", "300").assertOk();
        Path src = Files.createDirectories(base.resolve("cp2"));
        Path owned = Files.writeString(src.resolve("owned.txt"), "x\n");
        Files.setAttribute(owned, "unix:uid", 1234);
        Files.setAttribute(owned, "unix:gid", 4321);
        Cli.berth(daemon, "cp", "-a", owned.toString(), "cp2:/data/").assertOk();
        Path volFile = daemon.dataRoot.resolve("volumes/cpvol/_data/owned.txt");
        assertThat(Files.readString(volFile)).as("a stopped container's volume receives the copy").isEqualTo("x\n");
        assertThat(Files.getAttribute(volFile, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(volFile, "unix:gid")).isEqualTo(4321);

        Cli.run(new ProcessBuilder("tar", "-C", src.toString(), "-cf", base.resolve("cp2.tar").toString(), "owned.txt"),
                null).assertOk();
        byte[] tarBytes = Files.readAllBytes(base.resolve("cp2.tar"));
        Cli.berthWithInput(daemon, tarBytes, "cp", "-", "cp2:/tmp").assertOk();
        Cli.berth(daemon, "start", "cp2").assertOk();
        assertThat(Cli.berth(daemon, "exec", "cp2", "stat", "-c", "%u %n", "/tmp/owned.txt").assertOk().out())
                .isEqualTo("0 /tmp/owned.txt");
        Path outTar = base.resolve("out.tar");
        List<String> cmd = new java.util.ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.cli.Main", "-H", daemon.host(), "cp", "cp2:/data", "-"));
        Cli.run(new ProcessBuilder(cmd).redirectOutput(outTar.toFile()), null).assertOk();
        assertThat(Cli.run(new ProcessBuilder("tar", "-tvf", outTar.toString()), null).stdout())
                .contains("data/", "data/owned.txt", "1234/4321");
        Cli.berth(daemon, "rm", "-f", "cp2").assertOk();
        Cli.berth(daemon, "volume", "rm", "cpvol").assertOk();
    }

    @Test
    void symlinksInTheContainer_neverLeadOutOfItsRoot() throws Exception {
        String marker = "berth-cp-escape-" + ProcessHandle.current().pid();
        Path hostSecret = Path.of("/tmp", marker + "-secret");
        Files.writeString(hostSecret, "host secret\n");
        try {
            Cli.berth(daemon, "run", "-d", "--name", "cp3", "busybox", "sh", "-c",
                    "ln -s / /evil; ln -s ../../../../.. /up; mkdir /box; ln -s /etc /box/etc; sleep 300").assertOk();
            for (int i = 0; i < 50 && Cli.berth(daemon, "exec", "cp3", "test", "-L", "/box/etc").exitCode() != 0; i++) {
                Thread.sleep(100);
            }
            Path file = Files.writeString(base.resolve(marker), "payload\n");
            Cli.berth(daemon, "cp", file.toString(), "cp3:/evil/tmp/").assertOk();
            Cli.berth(daemon, "cp", file.toString(), "cp3:/up/tmp/up-" + marker).assertOk();
            assertThat(Path.of("/tmp", marker)).doesNotExist();
            assertThat(Path.of("/tmp", "up-" + marker)).doesNotExist();
            assertThat(Cli.berth(daemon, "exec", "cp3", "cat", "/tmp/" + marker, "/tmp/up-" + marker).assertOk().out())
                    .isEqualTo("payload\npayload");

            Cli.Result read = Cli.berth(daemon, "cp", "cp3:/evil/tmp/" + marker + "-secret", base.toString());
            assertThat(read.exitCode()).as("the host's /tmp is not the container's").isEqualTo(1);
            assertThat(Cli.berth(daemon, "cp", "-L", "cp3:/up/tmp/" + marker + "-secret", base.toString()).exitCode())
                    .isEqualTo(1);

            // an archive with "..", an absolute name or a link out is refused, and nothing lands outside
            for (EvilTar evil : List.of(new EvilTar().file("../../../../../../tmp/" + marker + "-dotdot", "x"),
                    new EvilTar().symlink("out", "/").file("out/tmp/" + marker + "-vialink", "x"),
                    new EvilTar().hardlink("hl", "../../../../etc/passwd"))) {
                Path t = Files.write(base.resolve("evil.tar"), evil.bytes());
                Cli.Result put = Cli.run(new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                        "--unix-socket", daemon.socket.toString(), "-X", "PUT", "-H", "Content-Type: application/x-tar",
                        "--data-binary", "@" + t, "http://localhost/v1.44/containers/cp3/archive?path=/box"), null);
                assertThat(put.out()).isEqualTo("400");
            }
            assertThat(Path.of("/tmp", marker + "-dotdot")).doesNotExist();
            assertThat(Path.of("/tmp", marker + "-vialink")).doesNotExist();
            // a path through the container's /box/etc -> /etc link writes the container's /etc
            Cli.berth(daemon, "cp", file.toString(), "cp3:/box/etc/").assertOk();
            assertThat(Path.of("/etc", marker)).doesNotExist();
            assertThat(Cli.berth(daemon, "exec", "cp3", "cat", "/etc/" + marker).assertOk().out()).isEqualTo("payload");
            Cli.berth(daemon, "rm", "-f", "cp3").assertOk();
        } finally {
            Files.deleteIfExists(hostSecret);
        }
    }

    @Test
    void readOnlyRootfs_refusesWritesAndCp_butItsVolumesTakeThem() throws Exception {
        Cli.berth(daemon, "run", "-d", "--name", "ro1", "--read-only", "-v", "rovol:/data", "busybox", "sh", "-c",
                "touch /x 2>/dev/null; echo rootfs=$? > /data/result; sleep 300").assertOk();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", "ro1").out()).isEqualTo("true");
        Path f = Files.writeString(base.resolve("ro.txt"), "ro\n");
        Cli.Result refused = Cli.berth(daemon, "cp", f.toString(), "ro1:/tmp/");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("Error response from daemon: container rootfs is marked read-only");
        Cli.berth(daemon, "cp", f.toString(), "ro1:/data/").assertOk();
        assertThat(Cli.berth(daemon, "exec", "ro1", "cat", "/data/ro.txt", "/data/result").assertOk().out())
                .isEqualTo("ro\nrootfs=1");
        Cli.berth(daemon, "rm", "-f", "ro1").assertOk();
        Cli.berth(daemon, "volume", "rm", "rovol").assertOk();
    }
}
