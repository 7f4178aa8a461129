package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * daemon.json {@code "userns-remap": "default"}: containers run in a user namespace whose root is an unprivileged host
 * uid from {@code /etc/subuid} (the user {@code dockremap}, created if missing), see their image owned by root through
 * idmapped layer mounts, and commits and exports carry the ids the container sees. Needs root, {@code unshare}
 * (util-linux), {@code useradd} and a kernel with idmapped mounts (5.12+).
 */
@Tag("e2e")
class UsernsRemapE2ETest {
    @TempDir
    static Path base;
    static Daemon daemon;
    static long hostRoot;

    @BeforeAll
    static void startDaemon() throws Exception {
        // the container's root, an unprivileged host uid, must traverse the data root's parents to its root file system
        Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(base));
        perms.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(base, perms);
        Path config = Files.writeString(base.resolve("daemon.json"), "{\"userns-remap\": \"default\"}");
        daemon = new Daemon(Files.createDirectories(base.resolve("d"))).withConfigFile(config).start();
        Cli.berth(daemon, "import", Images.busyboxTar().toString(), "busybox:latest").assertOk();
        hostRoot = Files.readAllLines(Path.of("/etc/subuid")).stream().filter(l -> l.startsWith("dockremap:"))
                .map(l -> Long.parseLong(l.split(":")[1])).findFirst().orElseThrow();
    }

    @AfterAll
    static void stopDaemon() {
        daemon.close();
    }

    @Test
    void containerRoot_isAnUnprivilegedHostUid_andSeesItsImageOwnedByRoot() throws Exception {
        Cli.berth(daemon, "run", "-d", "--name", "r1", "busybox", "sleep", "60").assertOk();
        try {
            String pid = Cli.berth(daemon, "inspect", "-f", "{{.State.Pid}}", "r1").assertOk().out();
            String uidLine = Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            assertThat(uidLine.split("\\s+")[1]).isEqualTo(Long.toString(hostRoot));
            assertThat(Cli.berth(daemon, "exec", "r1", "cat", "/proc/self/uid_map").assertOk().out().trim())
                    .matches("0\\s+" + hostRoot + "\\s+65536");
            assertThat(Cli.berth(daemon, "exec", "r1", "stat", "-c", "%u:%g", "/bin/busybox", "/", "/etc/hosts")
                    .assertOk().stdout()).isEqualTo("0:0\n0:0\n0:0\n");
            assertThat(Cli.berth(daemon, "exec", "r1", "id", "-u").assertOk().out()).isEqualTo("0");
            // its network namespace is its user namespace's: runc exec, which joins the user namespace first, enters it
            String gateway = Cli.berth(daemon, "inspect", "-f", "{{.NetworkSettings.Gateway}}", "r1").assertOk().out();
            assertThat(gateway).isNotEmpty();
            Cli.berth(daemon, "exec", "r1", "ping", "-c", "1", "-W", "5", gateway).assertOk();
        } finally {
            Cli.berth(daemon, "rm", "-f", "r1").assertOk();
        }
    }

    @Test
    void filesWritten_haveShiftedIdsOnTheHost_andCommitAndExportShowTheContainersIds() throws Exception {
        Cli.berth(daemon, "run", "--name", "wr", "busybox", "sh", "-c", "touch /a /b && chown 1113:1114 /b").assertOk();
        try {
            String id = Cli.berth(daemon, "inspect", "-f", "{{.Id}}", "wr").assertOk().out();
            Path upper = daemon.dataRoot.resolve("containers").resolve(id).resolve("upper");
            assertThat(Files.getAttribute(upper.resolve("a"), "unix:uid")).isEqualTo((int) hostRoot);
            assertThat(Files.getAttribute(upper.resolve("b"), "unix:uid")).isEqualTo((int) hostRoot + 1113);
            assertThat(Files.getAttribute(upper.resolve("b"), "unix:gid")).isEqualTo((int) hostRoot + 1114);

            Cli.berth(daemon, "commit", "wr", "made:1").assertOk();
            assertThat(Cli.berth(daemon, "run", "--rm", "--userns", "host", "made:1", "stat", "-c", "%u:%g", "/a", "/b")
                    .assertOk().stdout()).isEqualTo("0:0\n1113:1114\n");
            assertThat(Cli.berth(daemon, "run", "--rm", "made:1", "stat", "-c", "%u:%g", "/a", "/b")
                    .assertOk().stdout()).isEqualTo("0:0\n1113:1114\n");

            // cp sees and writes the container's ids too
            Path copied = base.resolve("copied");
            Cli.berth(daemon, "cp", "-a", "wr:/b", copied.toString()).assertOk();
            assertThat(Files.getAttribute(copied, "unix:uid")).isEqualTo(1113);
            Cli.berth(daemon, "cp", copied.toString(), "wr:/c").assertOk();
            assertThat(Files.getAttribute(upper.resolve("c"), "unix:uid")).isEqualTo((int) hostRoot);

            Path tar = base.resolve("w.tar");
            Cli.berth(daemon, "export", "-o", tar.toString(), "wr").assertOk();
            ProcessBuilder list = new ProcessBuilder("tar", "--numeric-owner", "-tvf", tar.toString(), "b", "bin/busybox");
            String listing = new String(list.start().getInputStream().readAllBytes());
            assertThat(listing).contains(" 1113/1114 ").contains(" 0/0 ");
        } finally {
            Cli.berth(daemon, "rm", "-f", "wr").assertOk();
        }
    }

    @Test
    void filesCreatedInABindMount_belongToTheShiftedIdsOnTheHost() throws Exception {
        Path shared = Files.createDirectories(base.resolve("shared"));
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Cli.berth(daemon, "run", "--rm", "-v", shared + ":/data", "busybox", "sh", "-c",
                "touch /data/by-root && su -s /bin/sh nobody -c 'touch /data/by-nobody' 2>/dev/null || "
                        + "(touch /data/by-nobody && chown 65534 /data/by-nobody)").assertOk();
        assertThat(Files.getAttribute(shared.resolve("by-root"), "unix:uid")).isEqualTo((int) hostRoot);
        assertThat(Files.getAttribute(shared.resolve("by-nobody"), "unix:uid")).isEqualTo((int) hostRoot + 65534);

        // a named volume is its root's: the container can write into it, and the files are its root's on the host
        Cli.berth(daemon, "run", "--rm", "-v", "remapped:/data", "busybox", "sh", "-c", "touch /data/f && stat -c %u /data")
                .assertOk();
        String mountpoint = Cli.berth(daemon, "volume", "inspect", "-f", "{{.Mountpoint}}", "remapped").assertOk().out();
        assertThat(Files.getAttribute(Path.of(mountpoint, "f"), "unix:uid")).isEqualTo((int) hostRoot);
        Cli.berth(daemon, "volume", "rm", "remapped").assertOk();
    }

    @Test
    void usernsHost_runsWithHostIds_andPrivilegedNeedsIt() throws Exception {
        assertThat(Cli.berth(daemon, "run", "--rm", "--userns", "host", "busybox", "cat", "/proc/self/uid_map")
                .assertOk().out().trim()).matches("0\\s+0\\s+4294967295");
        Cli.Result privileged = Cli.docker(daemon, "run", "--rm", "--privileged", "busybox", "true");
        assertThat(privileged.exitCode()).isEqualTo(125);
        assertThat(privileged.stderr()).contains("privileged mode is incompatible with user namespaces");
        Cli.docker(daemon, "run", "--rm", "--privileged", "--userns", "host", "busybox", "true").assertOk();
        Cli.Result bad = Cli.berth(daemon, "run", "--rm", "--userns", "private", "busybox", "true");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("--userns: invalid USER mode");
        assertThat(Cli.berth(daemon, "ps", "-aq").assertOk().out()).isEmpty();
    }
}
