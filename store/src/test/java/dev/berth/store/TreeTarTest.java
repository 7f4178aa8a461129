package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.linux.FileOps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs unprivileged: the tree belongs to the test process. */
class TreeTarTest {
    private static final Instant MTIME = Instant.parse("2020-05-06T07:08:09Z");

    @TempDir
    Path root;

    @Test
    void write_describesEveryKindOfFileSortedByName() throws IOException {
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Path tool = Files.writeString(bin.resolve("tool"), "#!/bin/sh\n");
        FileOps.lchmod(tool, 04755);
        FileOps.lutimes(tool, MTIME, MTIME);
        Files.createLink(bin.resolve("alias"), tool);
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        FileOps.mknod(root.resolve("fifo"), FileOps.S_IFIFO, 0);
        FileOps.lchmod(root.resolve("fifo"), 0620);
        Files.createDirectory(root.resolve("empty"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(root.resolve("socket")));
            List<TestTar.Read> entries = TestTar.read(tar(root));

            assertThat(entries).extracting(TestTar.Read::name)
                    .containsExactly("bin", "empty/", "fifo", "usr/", "usr/bin/", "usr/bin/alias", "usr/bin/tool");
            assertThat(entries.get(0).header()).extracting(TarHeader::kind, TarHeader::linkName)
                    .containsExactly(TarHeader.Kind.SYMLINK, "usr/bin");
            assertThat(entries.get(1).header().kind()).isEqualTo(TarHeader.Kind.DIRECTORY);
            assertThat(entries.get(2).header()).extracting(TarHeader::kind, TarHeader::mode)
                    .containsExactly(TarHeader.Kind.FIFO, 0620);
            TestTar.Read first = entries.get(5);
            assertThat(first.header()).extracting(TarHeader::kind, TarHeader::mode, TarHeader::uid, TarHeader::mtime)
                    .containsExactly(TarHeader.Kind.FILE, 04755, TestTar.UID, MTIME);
            assertThat(first.text()).isEqualTo("#!/bin/sh\n");
            assertThat(entries.get(6).header()).extracting(TarHeader::kind, TarHeader::linkName, TarHeader::size)
                    .containsExactly(TarHeader.Kind.HARD_LINK, "usr/bin/alias", 0L);
        }
    }

    @Test
    void write_givesATarOtherToolsRead() throws IOException {
        Files.writeString(Files.createDirectories(root.resolve("a/" + "long-directory-name/".repeat(10))).resolve("f"), "x");
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar(root)))) {
            int entries = 0;
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries++;
                if (e.isFile()) {
                    assertThat(e.getName()).endsWith("long-directory-name/f");
                    assertThat(new String(in.readAllBytes())).isEqualTo("x");
                }
            }
            assertThat(entries).isEqualTo(12);
        }
    }

    @Test
    void write_ofAnEmptyTreeIsAnEmptyArchive() throws IOException {
        assertThat(tar(root)).hasSize(1024).containsOnly(0);
    }

    private static byte[] tar(Path root) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TreeTar.write(root, out);
        return out.toByteArray();
    }
}
