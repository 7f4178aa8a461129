package dev.berth.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOpsTest {
    @TempDir
    Path dir;

    @Test
    void makedev_matchesTheKernelsNumbering() throws IOException {
        long devNull = (long) Files.getAttribute(Path.of("/dev/null"), "unix:rdev");
        assertThat(FileOps.makedev(1, 3)).isEqualTo(devNull);
        assertThat(FileOps.major(devNull)).isEqualTo(1);
        assertThat(FileOps.minor(devNull)).isEqualTo(3);
    }

    @Test
    void makedev_roundTripsLargeNumbers() {
        long dev = FileOps.makedev(0xabcde, 0x12345678);
        assertThat(FileOps.major(dev)).isEqualTo(0xabcde);
        assertThat(FileOps.minor(dev)).isEqualTo(0x12345678);
        assertThat(FileOps.makedev(0, 0)).isZero();
    }

    @Test
    void mknod_makesAFifoAndFailsWhenThePathExists() throws IOException {
        Path fifo = dir.resolve("fifo");
        FileOps.mknod(fifo, FileOps.S_IFIFO | 0640, 0);
        assertThat((int) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000).isEqualTo(FileOps.S_IFIFO);
        assertThatThrownBy(() -> FileOps.mknod(fifo, FileOps.S_IFIFO | 0640, 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                .hasMessage("mknod " + fifo + ": File exists");
    }

    @Test
    @Tag("root")
    void mknod_makesTheCharDeviceOverlayUsesAsWhiteout() throws IOException {
        Path whiteout = dir.resolve("gone");
        FileOps.mknod(whiteout, FileOps.S_IFCHR, FileOps.makedev(0, 0));
        assertThat((int) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000).isEqualTo(FileOps.S_IFCHR);
        assertThat((long) Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isZero();
    }

    @Test
    void lchmod_setsSpecialBitsWithoutOpeningAFifo() throws IOException {
        Path fifo = dir.resolve("fifo");
        FileOps.mknod(fifo, FileOps.S_IFIFO | 0600, 0);
        FileOps.lchmod(fifo, 04751); // would block if it opened the fifo
        assertThat((int) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777).isEqualTo(04751);
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);
        assertThatThrownBy(() -> FileOps.lchmod(link, 0600))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTSUP));
        assertThat((int) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777).isEqualTo(04751);
    }

    @Test
    void lutimes_setsTimesOfTheLinkItselfWithoutOpeningAFifo() throws IOException {
        Path fifo = dir.resolve("fifo");
        FileOps.mknod(fifo, FileOps.S_IFIFO | 0600, 0);
        Instant atime = Instant.parse("2001-02-03T04:05:06.123456789Z");
        Instant mtime = Instant.parse("1999-12-31T23:59:59Z");
        FileOps.lutimes(fifo, atime, mtime); // would block if it opened the fifo
        assertThat(Files.getLastModifiedTime(fifo, LinkOption.NOFOLLOW_LINKS).toInstant()).isEqualTo(mtime);
        assertThat(((FileTime) Files.getAttribute(fifo, "lastAccessTime", LinkOption.NOFOLLOW_LINKS)).toInstant())
                .isEqualTo(atime);
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);
        FileOps.lutimes(link, atime, atime);
        assertThat(Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).toInstant()).isEqualTo(atime);
        assertThat(Files.getLastModifiedTime(fifo, LinkOption.NOFOLLOW_LINKS).toInstant()).isEqualTo(mtime);
    }

    @Test
    void xattrs_roundTripBinaryValues() throws IOException {
        Path file = Files.createFile(dir.resolve("f"));
        byte[] value = {1, 0, 0, 2, (byte) 0x80, (byte) 0xc0, 0, (byte) 0xff};
        FileOps.lsetxattr(file, "user.berth", value);
        FileOps.lsetxattr(file, "user.empty", new byte[0]);
        assertThat(FileOps.lgetxattr(file, "user.berth")).hasValueSatisfying(v -> assertThat(v).containsExactly(value));
        assertThat(FileOps.lgetxattr(file, "user.empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(FileOps.lgetxattr(file, "user.missing")).isEmpty();
        assertThat(FileOps.llistxattr(file)).contains("user.berth", "user.empty");
    }

    @Test
    @Tag("root")
    void xattrs_onASymlinkStayOnTheLink() throws IOException {
        Path target = Files.createFile(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        FileOps.lsetxattr(link, "trusted.berth", new byte[] {'y'});
        assertThat(FileOps.lgetxattr(link, "trusted.berth")).hasValueSatisfying(v -> assertThat(v).containsExactly('y'));
        assertThat(FileOps.lgetxattr(target, "trusted.berth")).isEmpty();
        assertThat(FileOps.llistxattr(target)).doesNotContain("trusted.berth");
    }

    @Test
    void lgetxattr_ofAMissingFileNamesTheCall() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> FileOps.lgetxattr(missing, "user.x"))
                .hasMessage("lgetxattr user.x " + missing + ": No such file or directory");
    }

    @Test
    void syncfs_flushesTheFileSystemOfAPath() throws IOException {
        FileOps.syncfs(dir);
        assertThatThrownBy(() -> FileOps.syncfs(dir.resolve("missing")))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }
}
