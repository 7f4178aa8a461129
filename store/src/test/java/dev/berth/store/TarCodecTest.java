package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class TarCodecTest {
    /** A file capability granting cap_setuid and cap_setgid: bytes 0xc0 and 0x00 are not text in any charset. */
    static final byte[] CAPABILITY = {1, 0, 0, 2, (byte) 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final String LONG_NAME = "deep/".repeat(40) + "file.txt";

    @Test
    void writerAndReader_roundTripEveryKindAndField() throws IOException {
        byte[] tar = new TestTar()
                .dir("dir/")
                .add(new TestTar.Entry("dir/suid", TarHeader.Kind.FILE).content("x".repeat(1000)).mode(04755)
                        .owner(123456789L, 3000000000L).mtime(Instant.ofEpochSecond(1_700_000_000L))
                        .xattr("security.capability", CAPABILITY).xattr("user.note", "hé".getBytes(StandardCharsets.UTF_8)))
                .add(new TestTar.Entry(LONG_NAME, TarHeader.Kind.FILE).content("long"))
                .add(new TestTar.Entry("dir/ünïcode", TarHeader.Kind.FILE).content("u"))
                .symlink("dir/link", "/" + "target/".repeat(30))
                .hardLink("dir/hard", "dir/suid")
                .add(new TestTar.Entry("dev/null", TarHeader.Kind.CHAR_DEVICE).device(1, 3).mode(0666))
                .add(new TestTar.Entry("dev/loop", TarHeader.Kind.BLOCK_DEVICE).device(7, 1048575))
                .add(new TestTar.Entry("fifo", TarHeader.Kind.FIFO).mode(0600))
                .bytes();
        List<TestTar.Read> entries = TestTar.read(tar);

        assertThat(entries).extracting(TestTar.Read::name).containsExactly("dir/", "dir/suid", LONG_NAME, "dir/ünïcode",
                "dir/link", "dir/hard", "dev/null", "dev/loop", "fifo");
        TarHeader suid = entries.get(1).header();
        assertThat(suid.kind()).isEqualTo(TarHeader.Kind.FILE);
        assertThat(suid.mode()).isEqualTo(04755);
        assertThat(suid.uid()).isEqualTo(123456789L);
        assertThat(suid.gid()).isEqualTo(3000000000L);
        assertThat(suid.mtime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(suid.xattrs().get("security.capability")).containsExactly(CAPABILITY);
        assertThat(suid.xattrs().get("user.note")).containsExactly("hé".getBytes(StandardCharsets.UTF_8));
        assertThat(entries.get(1).text()).isEqualTo("x".repeat(1000));
        assertThat(entries.get(2).text()).isEqualTo("long");
        assertThat(entries.get(4).header().linkName()).isEqualTo("/" + "target/".repeat(30));
        assertThat(entries.get(5).header()).extracting(TarHeader::kind, TarHeader::linkName, TarHeader::size)
                .containsExactly(TarHeader.Kind.HARD_LINK, "dir/suid", 0L);
        assertThat(entries.get(6).header()).extracting(TarHeader::kind, TarHeader::devMajor, TarHeader::devMinor)
                .containsExactly(TarHeader.Kind.CHAR_DEVICE, 1, 3);
        assertThat(entries.get(7).header().devMinor()).isEqualTo(1048575);
        assertThat(entries.get(8).header().kind()).isEqualTo(TarHeader.Kind.FIFO);
    }

    @Test
    void writer_isReadableByCommonsCompress() throws IOException {
        String ustarSplit = "a".repeat(120) + "/" + "b".repeat(90);
        byte[] tar = new TestTar()
                .add(new TestTar.Entry(ustarSplit, TarHeader.Kind.FILE).content("split"))
                .add(new TestTar.Entry(LONG_NAME, TarHeader.Kind.FILE).content("pax").owner(5000000, 6))
                .symlink("l", "x".repeat(150))
                .add(new TestTar.Entry("null", TarHeader.Kind.CHAR_DEVICE).device(1, 3))
                .bytes();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry split = in.getNextEntry();
            assertThat(split.getName()).isEqualTo(ustarSplit);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("split");
            TarArchiveEntry pax = in.getNextEntry();
            assertThat(pax.getName()).isEqualTo(LONG_NAME);
            assertThat(pax.getLongUserId()).isEqualTo(5000000L);
            assertThat(in.getNextEntry().getLinkName()).isEqualTo("x".repeat(150));
            TarArchiveEntry dev = in.getNextEntry();
            assertThat(dev.isCharacterDevice()).isTrue();
            assertThat(dev.getDevMinor()).isEqualTo(3);
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void reader_readsGnuLongNamesAndBase256Numbers() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            TarArchiveEntry e = new TarArchiveEntry(LONG_NAME);
            e.setSize(2);
            e.setUserId(0x7fffffffL * 4);
            e.setMode(0100640);
            out.putArchiveEntry(e);
            out.write(new byte[] {'o', 'k'});
            out.closeArchiveEntry();
            TarArchiveEntry link = new TarArchiveEntry("l", TarConstants.LF_SYMLINK);
            link.setLinkName("t".repeat(200));
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        List<TestTar.Read> entries = TestTar.read(bytes.toByteArray());
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).name()).isEqualTo(LONG_NAME);
        assertThat(entries.get(0).header().uid()).isEqualTo(0x7fffffffL * 4);
        assertThat(entries.get(0).header().mode()).isEqualTo(0640);
        assertThat(entries.get(0).text()).isEqualTo("ok");
        assertThat(entries.get(1).header().linkName()).isEqualTo("t".repeat(200));
    }

    @Test
    void reader_readsPaxRecordsWithFractionalTimes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry e = new TarArchiveEntry("dir/", TarConstants.LF_DIR);
            e.addPaxHeader("mtime", "1700000000.25");
            e.addPaxHeader("atime", "1600000000");
            e.addPaxHeader("SCHILY.xattr.user.a", "b");
            e.addPaxHeader("comment", "ignored");
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }
        TarHeader dir = TestTar.read(bytes.toByteArray()).getFirst().header();
        assertThat(dir.kind()).isEqualTo(TarHeader.Kind.DIRECTORY);
        assertThat(dir.mtime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 250_000_000));
        assertThat(dir.atime()).isEqualTo(FileTime.fromMillis(1_600_000_000_000L).toInstant());
        assertThat(dir.xattrs()).containsOnlyKeys("user.a");
    }

    @Test
    void reader_skipsGlobalHeadersAndTakesV7TrailingSlashAsDirectory() throws IOException {
        byte[] tar = new TestTar().add(new TestTar.Entry("old/", TarHeader.Kind.FILE)).bytes();
        tar[156] = 0; // a V7 header: no type flag
        fixChecksum(tar, 0);
        byte[] global = globalHeader();
        byte[] both = Arrays.copyOf(global, global.length + tar.length);
        System.arraycopy(tar, 0, both, global.length, tar.length);
        assertThat(TestTar.read(both)).singleElement()
                .satisfies(e -> assertThat(e.header().kind()).isEqualTo(TarHeader.Kind.DIRECTORY));
    }

    @Test
    void reader_endsAtCleanEndOfStreamWithoutTrailer() throws IOException {
        byte[] tar = new TestTar().file("a", "content").bytes();
        assertThat(TestTar.read(Arrays.copyOf(tar, 1024))).extracting(TestTar.Read::name).containsExactly("a");
    }

    @Test
    void reader_refusesCorruptAndTruncatedTars() {
        byte[] tar = new TestTar().file("a", "x".repeat(2000)).bytes();
        byte[] corrupt = tar.clone();
        corrupt[10] ^= 1;
        assertThatThrownBy(() -> TestTar.read(corrupt)).hasMessage("invalid tar header at the start of the archive: checksum mismatch");
        assertThatThrownBy(() -> TestTar.read(Arrays.copyOf(tar, 1000))).hasMessageContaining("unexpected end of tar stream");
        assertThatThrownBy(() -> TestTar.read(Arrays.copyOf(tar, 300))).hasMessageContaining("unexpected end of tar stream");
        assertThatThrownBy(() -> TestTar.read("not a tar at all".repeat(40).getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("invalid tar header");
    }

    @Test
    void reader_refusesSparseAndUnknownTypes() throws IOException {
        byte[] volume = new TestTar().file("label", "").bytes();
        volume[156] = 'V';
        fixChecksum(volume, 0);
        assertThatThrownBy(() -> TestTar.read(volume)).hasMessage("invalid tar entry \"label\": unsupported type 'V'");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry("sparse");
            e.addPaxHeader("GNU.sparse.map", "0,0");
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        }
        assertThatThrownBy(() -> TestTar.read(bytes.toByteArray()))
                .hasMessage("invalid tar entry \"sparse\": sparse files are not supported");
    }

    @Test
    void parsePax_refusesMalformedRecords() throws IOException {
        assertThat(TarReader.parsePax("9 path=a\n".getBytes(StandardCharsets.UTF_8))).containsOnlyKeys("path");
        assertThatThrownBy(() -> TarReader.parsePax("99 path=a\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("malformed PAX record");
        assertThatThrownBy(() -> TarReader.parsePax("8 patha\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("without '='");
    }

    @Test
    void number_readsOctalWithPaddingAndBase256() throws IOException {
        assertThat(TarReader.number(" 0755 \0".getBytes(StandardCharsets.US_ASCII), 0, 7)).isEqualTo(0755);
        assertThat(TarReader.number(new byte[] {(byte) 0x80, 0, 0, 1, 0}, 0, 5)).isEqualTo(256);
        assertThatThrownBy(() -> TarReader.number("12x".getBytes(StandardCharsets.US_ASCII), 0, 3))
                .hasMessageContaining("bad number");
    }

    private static byte[] globalHeader() {
        byte[] records = "19 comment=global\n".getBytes(StandardCharsets.US_ASCII);
        byte[] header = new TestTar().add(new TestTar.Entry("g", TarHeader.Kind.FILE).content("x".repeat(records.length)))
                .bytes();
        header[156] = 'g';
        fixChecksum(header, 0);
        System.arraycopy(records, 0, header, 512, records.length);
        return Arrays.copyOf(header, 1024);
    }

    private static void fixChecksum(byte[] tar, int offset) {
        Arrays.fill(tar, offset + 148, offset + 156, (byte) ' ');
        int sum = 0;
        for (int i = offset; i < offset + 512; i++) {
            sum += tar[i] & 0xff;
        }
        byte[] digits = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, tar, offset + 148, 8);
    }
}
