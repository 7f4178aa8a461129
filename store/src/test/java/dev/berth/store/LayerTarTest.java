package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.linux.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking with other owners, device nodes and trusted.* xattrs needs root. */
@Tag("root")
class LayerTarTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Instant OLD = Instant.parse("2001-02-03T04:05:06Z");

    @TempDir
    Path tmp;

    @Test
    void unpack_turnsWhiteoutsIntoOverlayFormat() throws IOException {
        Path diff = unpack(new TestTar()
                .dir("etc/")
                .file("etc/.wh.passwd", "")
                .dir("var/cache/")
                .file("var/cache/.wh..wh..opq", "")
                .file("var/cache/fresh", "new")
                .file("usr/.wh..wh.plnk", "")
                .file(".wh.gone", ""));
        assertWhiteout(diff.resolve("etc/passwd"));
        assertWhiteout(diff.resolve("gone"));
        assertThat(FileOps.lgetxattr(diff.resolve("var/cache"), "trusted.overlay.opaque"))
                .hasValueSatisfying(v -> assertThat(v).containsExactly('y'));
        assertThat(diff.resolve("var/cache/fresh")).hasContent("new");
        assertThat(diff.resolve("etc/.wh.passwd")).doesNotExist();
        assertThat(diff.resolve("var/cache/.wh..wh..opq")).doesNotExist();
        assertThat(diff.resolve("usr/.wh..wh.plnk")).doesNotExist();
    }

    @Test
    void unpack_keepsOwnersModesTimesAndXattrs() throws IOException {
        Path diff = unpack(new TestTar()
                .add(new TestTar.Entry("bin/", TarHeader.Kind.DIRECTORY).mode(0750).owner(0, 10).mtime(OLD))
                .add(new TestTar.Entry("bin/su", TarHeader.Kind.FILE).content("elf").mode(04755).owner(1000, 2000).mtime(OLD)
                        .xattr("security.capability", TarCodecTest.CAPABILITY).xattr("user.origin", new byte[] {0, 1, 2})
                        .xattr("trusted.overlay.redirect", "/elsewhere".getBytes()))
                .add(new TestTar.Entry("shared/", TarHeader.Kind.DIRECTORY).mode(02775).owner(0, 50))
                .add(new TestTar.Entry("tmp/", TarHeader.Kind.DIRECTORY).mode(01777))
                .add(new TestTar.Entry("bin/sh", TarHeader.Kind.SYMLINK).link("su").owner(7, 8).mtime(OLD)));
        Path su = diff.resolve("bin/su");
        assertThat(attributes(su)).containsEntry("uid", 1000).containsEntry("gid", 2000);
        assertThat(mode(su)).isEqualTo(04755);
        assertThat(Files.getLastModifiedTime(su, NOFOLLOW)).isEqualTo(FileTime.from(OLD));
        assertThat(FileOps.lgetxattr(su, "security.capability")).hasValueSatisfying(
                v -> assertThat(v).containsExactly(TarCodecTest.CAPABILITY));
        assertThat(FileOps.lgetxattr(su, "user.origin")).hasValueSatisfying(v -> assertThat(v).containsExactly(0, 1, 2));
        assertThat(FileOps.lgetxattr(su, "trusted.overlay.redirect")).isEmpty();
        assertThat(mode(diff.resolve("bin"))).isEqualTo(0750);
        assertThat(attributes(diff.resolve("bin"))).containsEntry("gid", 10);
        assertThat(Files.getLastModifiedTime(diff.resolve("bin"), NOFOLLOW)).isEqualTo(FileTime.from(OLD));
        assertThat(mode(diff.resolve("shared"))).isEqualTo(02775);
        assertThat(mode(diff.resolve("tmp"))).isEqualTo(01777);
        Path sh = diff.resolve("bin/sh");
        assertThat(Files.readSymbolicLink(sh)).isEqualTo(Path.of("su"));
        assertThat(attributes(sh)).containsEntry("uid", 7).containsEntry("gid", 8);
        assertThat(Files.getLastModifiedTime(sh, NOFOLLOW)).isEqualTo(FileTime.from(OLD));
    }

    @Test
    void unpack_makesHardLinksFifosAndDevices() throws IOException {
        Path diff = unpack(new TestTar()
                .file("bin/busybox", "bb")
                .hardLink("bin/ls", "bin/busybox")
                .add(new TestTar.Entry("dev/null", TarHeader.Kind.CHAR_DEVICE).device(1, 3).mode(0666))
                .add(new TestTar.Entry("dev/loop0", TarHeader.Kind.BLOCK_DEVICE).device(7, 0).mode(0660).owner(0, 6))
                .add(new TestTar.Entry("run/initctl", TarHeader.Kind.FIFO).mode(0600)));
        assertThat(attributes(diff.resolve("bin/ls")).get("ino")).isEqualTo(attributes(diff.resolve("bin/busybox")).get("ino"));
        assertThat(attributes(diff.resolve("bin/ls"))).containsEntry("nlink", 2);
        Map<String, Object> devNull = attributes(diff.resolve("dev/null"));
        assertThat((int) devNull.get("mode") & 0170000).isEqualTo(FileOps.S_IFCHR);
        assertThat(devNull.get("rdev")).isEqualTo(FileOps.makedev(1, 3));
        assertThat(mode(diff.resolve("dev/null"))).isEqualTo(0666);
        Map<String, Object> loop = attributes(diff.resolve("dev/loop0"));
        assertThat((int) loop.get("mode") & 0170000).isEqualTo(FileOps.S_IFBLK);
        assertThat(loop.get("rdev")).isEqualTo(FileOps.makedev(7, 0));
        assertThat(loop).containsEntry("gid", 6);
        assertThat((int) attributes(diff.resolve("run/initctl")).get("mode") & 0170000).isEqualTo(FileOps.S_IFIFO);
    }

    @Test
    void unpack_handlesDirectoriesAfterTheirContentsAndImpliedParents() throws IOException {
        Path diff = unpack(new TestTar()
                .file("a/b/c/file", "deep")
                .add(new TestTar.Entry("a/b/", TarHeader.Kind.DIRECTORY).mode(0700).mtime(OLD))
                .add(new TestTar.Entry("a/", TarHeader.Kind.DIRECTORY).mode(0711).mtime(OLD)));
        assertThat(diff.resolve("a/b/c/file")).hasContent("deep");
        assertThat(mode(diff.resolve("a"))).isEqualTo(0711);
        assertThat(mode(diff.resolve("a/b"))).isEqualTo(0700);
        assertThat(mode(diff.resolve("a/b/c"))).isEqualTo(0755); // implied, as Docker makes them
        assertThat(attributes(diff.resolve("a/b/c"))).containsEntry("uid", 0);
        assertThat(Files.getLastModifiedTime(diff.resolve("a"), NOFOLLOW)).isEqualTo(FileTime.from(OLD));
        assertThat(Files.getLastModifiedTime(diff.resolve("a/b"), NOFOLLOW)).isEqualTo(FileTime.from(OLD));
    }

    @Test
    void unpack_letsLaterEntriesWin() throws IOException {
        Path diff = unpack(new TestTar()
                .file("x", "first")
                .file("x", "second")
                .file("d", "a file first")
                .dir("d/")
                .file("d/inside", "kept")
                .add(new TestTar.Entry("d/", TarHeader.Kind.DIRECTORY).mode(0700))
                .dir("gone/")
                .file("gone/child", "deleted with its directory")
                .file("gone", "now a file")
                .file("wh", "whited out")
                .file(".wh.wh", ""));
        assertThat(diff.resolve("x")).hasContent("second");
        assertThat(diff.resolve("d/inside")).hasContent("kept");
        assertThat(mode(diff.resolve("d"))).isEqualTo(0700);
        assertThat(diff.resolve("gone")).isRegularFile().hasContent("now a file");
        assertWhiteout(diff.resolve("wh"));
    }

    @Test
    void writeDiff_turnsOverlayWhiteoutsBackIntoTarWhiteouts() throws IOException {
        Path upper = Files.createDirectory(tmp.resolve("upper"));
        Files.createDirectories(upper.resolve("etc"));
        FileOps.mknod(upper.resolve("etc/shadow"), FileOps.S_IFCHR, 0);
        Path opaque = Files.createDirectories(upper.resolve("var/lib"));
        FileOps.lsetxattr(opaque, "trusted.overlay.opaque", new byte[] {'y'});
        FileOps.lsetxattr(opaque, "trusted.overlay.origin", new byte[] {1, 2});
        Files.writeString(opaque.resolve("state"), "s");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTar.writeDiff(upper, out);
        List<TestTar.Read> entries = TestTar.read(out.toByteArray());
        assertThat(entries).extracting(TestTar.Read::name).containsExactly(
                "etc/", "etc/.wh.shadow", "var/", "var/lib/", "var/lib/.wh..wh..opq", "var/lib/state");
        assertThat(entries.get(1).header()).extracting(TarHeader::kind, TarHeader::size)
                .containsExactly(TarHeader.Kind.FILE, 0L);
        assertThat(entries.get(3).header().xattrs()).isEmpty();
    }

    @Test
    void writeDiffAndUnpack_roundTrip() throws IOException {
        TestTar original = new TestTar()
                .add(new TestTar.Entry("bin/", TarHeader.Kind.DIRECTORY).mode(0755).owner(0, 0).mtime(OLD))
                .add(new TestTar.Entry("bin/busybox", TarHeader.Kind.FILE).content("bb").mode(04755).owner(0, 0).mtime(OLD)
                        .xattr("security.capability", TarCodecTest.CAPABILITY))
                // writers describe a hard link with its inode's metadata, as the writer here does too
                .add(new TestTar.Entry("bin/ls", TarHeader.Kind.HARD_LINK).link("bin/busybox").mode(04755).owner(0, 0)
                        .mtime(OLD).xattr("security.capability", TarCodecTest.CAPABILITY))
                .add(new TestTar.Entry("bin/sh", TarHeader.Kind.SYMLINK).link("busybox").mode(0777).owner(0, 0).mtime(OLD))
                .add(new TestTar.Entry("dev/", TarHeader.Kind.DIRECTORY).mode(0755).owner(0, 0).mtime(OLD))
                .add(new TestTar.Entry("dev/console", TarHeader.Kind.CHAR_DEVICE).device(5, 1).mode(0600).owner(0, 5)
                        .mtime(OLD))
                .add(new TestTar.Entry("dev/fifo", TarHeader.Kind.FIFO).mode(0644).owner(1, 1).mtime(OLD))
                .add(new TestTar.Entry("etc/", TarHeader.Kind.DIRECTORY).mode(0755).owner(0, 0).mtime(OLD))
                .add(new TestTar.Entry("etc/.wh.motd", TarHeader.Kind.FILE).mode(0600).owner(0, 0).mtime(OLD))
                .add(new TestTar.Entry("opt/", TarHeader.Kind.DIRECTORY).mode(0700).owner(1000, 1000).mtime(OLD))
                .add(new TestTar.Entry("opt/.wh..wh..opq", TarHeader.Kind.FILE).mode(0700).owner(1000, 1000).mtime(OLD))
                .add(new TestTar.Entry("opt/app", TarHeader.Kind.FILE).content("app").mode(0640).owner(1000, 1000)
                        .mtime(OLD));
        byte[] tar = original.bytes();
        Path diff = Files.createDirectory(tmp.resolve("diff"));
        LayerTar.unpack(new ByteArrayInputStream(tar), diff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTar.writeDiff(diff, out);

        assertThat(describe(TestTar.read(out.toByteArray()))).containsExactlyElementsOf(describe(TestTar.read(tar)));
        assertThat(out.toByteArray()).as("same bytes, so the same diff id").isEqualTo(tar);
    }

    private static List<String> describe(List<TestTar.Read> entries) {
        return entries.stream().map(e -> describe(e.header()) + " " + e.text()).toList();
    }

    private static String describe(TarHeader h) {
        StringBuilder xattrs = new StringBuilder();
        h.xattrs().forEach((k, v) -> xattrs.append(k).append('=').append(HexFormat.of().formatHex(v)).append(';'));
        return String.join(" ", h.name(), h.kind().toString(), Long.toString(h.size()), Integer.toOctalString(h.mode()),
                h.uid() + ":" + h.gid(), h.mtime().toString(), h.linkName(), h.devMajor() + "," + h.devMinor(),
                xattrs.toString());
    }

    private Path unpack(TestTar tar) throws IOException {
        Path diff = Files.createDirectory(tmp.resolve("diff"));
        LayerTar.unpack(tar.stream(), diff);
        return diff;
    }

    private static void assertWhiteout(Path path) throws IOException {
        Map<String, Object> a = attributes(path);
        assertThat((int) a.get("mode") & 0170000).isEqualTo(FileOps.S_IFCHR);
        assertThat(a.get("rdev")).isEqualTo(0L);
    }

    private static Map<String, Object> attributes(Path path) throws IOException {
        return Files.readAttributes(path, "unix:*", NOFOLLOW);
    }

    private static int mode(Path path) throws IOException {
        return (int) attributes(path).get("mode") & 07777;
    }
}
