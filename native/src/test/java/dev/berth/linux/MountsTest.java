package dev.berth.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("root")
class MountsTest {
    @TempDir
    Path dir;

    @Test
    void mount_appliesFlagsAndUmountDetaches() throws IOException {
        Mounts.mount("berth-test", dir, "tmpfs", Mounts.MS_RDONLY | Mounts.MS_NOSUID | Mounts.MS_NODEV, "size=1m");
        try {
            assertThat(mountOptions(dir)).hasValueSatisfying(o -> assertThat(o.split(",")).contains("ro", "nosuid", "nodev"));
            assertThatThrownBy(() -> Files.createFile(dir.resolve("x"))).isInstanceOf(IOException.class);
        } finally {
            Mounts.umount2(dir, Mounts.MNT_DETACH);
        }
        assertThat(mountOptions(dir)).isEmpty();
    }

    @Test
    void umount2_ofAPlainDirectoryFailsWithEinval() {
        assertThatThrownBy(() -> Mounts.umount2(dir, 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageStartingWith("umount " + dir + ": ");
    }

    @Test
    void mount_reportsTypeTargetAndCause() {
        assertThatThrownBy(() -> Mounts.mount("x", dir, "no-such-fs", 0, null))
                .isInstanceOf(LinuxException.class)
                .hasMessage("mount no-such-fs on " + dir + ": No such device");
    }

    /** The options of the mount on {@code target}, read from mountinfo (field 6; field 5 is the mount point). */
    private static Optional<String> mountOptions(Path target) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" "))
                .filter(f -> f[4].equals(target.toString()))
                .map(f -> f[5])
                .reduce((first, last) -> last);
    }
}
