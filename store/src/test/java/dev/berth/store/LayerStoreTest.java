package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs unprivileged: the tars here hold only entries owned by the test process. */
class LayerStoreTest {
    private static final String D1 = Digest.sha256("one".getBytes(StandardCharsets.UTF_8)).toString();
    private static final String D2 = Digest.sha256("two".getBytes(StandardCharsets.UTF_8)).toString();
    private static final String D3 = Digest.sha256("three".getBytes(StandardCharsets.UTF_8)).toString();

    @TempDir
    Path tmp;
    Path dataRoot;
    Path outside;
    LayerStore store;

    @BeforeEach
    void setUp() throws IOException {
        dataRoot = Files.createDirectory(tmp.resolve("data"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("sentinel"), "untouched");
        store = new LayerStore(dataRoot);
    }

    @Test
    void chainIds_followTheOciDefinition() {
        String c2 = sha256(D1 + " " + D2);
        String c3 = sha256(c2 + " " + D3);
        assertThat(store.chainIds(List.of(D1, D2, D3))).containsExactly(D1, c2, c3);
        assertThat(store.chainIds(List.of())).isEmpty();
    }

    @Test
    void apply_computesDiffIdOfTheUncompressedStreamWhateverTheCompression() throws IOException {
        byte[] tar = new TestTar().dir("etc/").file("etc/hostname", "box\n").file("bin/sh", "#!").hardLink("bin/ash", "bin/sh")
                .bytes();
        String diffId = Digest.sha256(tar).toString();
        for (Function<byte[], byte[]> compression : List.<Function<byte[], byte[]>>of(b -> b, LayerStoreTest::gzip,
                LayerStoreTest::bzip2, com.github.luben.zstd.Zstd::compress)) {
            LayerStore.Layer layer = store.apply(new ByteArrayInputStream(compression.apply(tar)), null);
            assertThat(layer).isEqualTo(new LayerStore.Layer(diffId, diffId, 6));
        }
        assertThat(Files.readString(store.diffDir(diffId).resolve("etc/hostname"))).isEqualTo("box\n");
        assertThat(store.exists(diffId)).isTrue();
        assertThat(store.diffDir(diffId)).isEqualTo(dataRoot.resolve("layers").resolve(Digest.parse(diffId).hex()).resolve("diff"));
        assertNoLeftovers();
    }

    @Test
    void apply_digestsBytesAfterTheEndOfArchiveMarkerToo() throws IOException {
        byte[] tar = new TestTar().file("a", "a").bytes();
        byte[] padded = Arrays.copyOf(tar, tar.length + 8192); // tar pads to its blocking factor
        assertThat(store.apply(new ByteArrayInputStream(padded), null).diffId()).isEqualTo(Digest.sha256(padded).toString());
    }

    @Test
    void apply_onAParentGivesTheChainId() throws IOException {
        LayerStore.Layer base = store.apply(new TestTar().file("a", "1").stream(), null);
        byte[] tar = new TestTar().file("b", "2").bytes();
        LayerStore.Layer child = store.apply(new ByteArrayInputStream(tar), base.chainId());
        assertThat(child.diffId()).isEqualTo(Digest.sha256(tar).toString());
        assertThat(child.chainId()).isEqualTo(sha256(base.chainId() + " " + child.diffId()));
        assertThat(store.chainIds(List.of(base.diffId(), child.diffId()))).containsExactly(base.chainId(), child.chainId());
    }

    @Test
    void apply_refusesAMissingParent() {
        assertThatThrownBy(() -> store.apply(new TestTar().stream(), D1))
                .hasMessage("cannot apply layer: parent layer " + D1 + " does not exist");
    }

    @Test
    void apply_ofAnExistingLayerKeepsTheExistingCopy() throws IOException {
        byte[] tar = new TestTar().file("a", "1").bytes();
        LayerStore.Layer first = store.apply(new ByteArrayInputStream(tar), null);
        Path marker = Files.writeString(store.diffDir(first.chainId()).resolve("marker"), "first copy");
        assertThat(store.apply(new ByteArrayInputStream(tar), null)).isEqualTo(first);
        assertThat(marker).exists();
        assertNoLeftovers();
    }

    @Test
    void apply_refusesCorruptZstdAndLeavesNothing() {
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
        assertThatThrownBy(() -> store.apply(new ByteArrayInputStream(zstd), null)).isInstanceOf(IOException.class);
        assertNoLeftovers();
    }

    @Test
    void unpackExpected_refusesAnotherDiffIdAndRunsTheCheckBeforeCommitting() throws IOException {
        byte[] tar = new TestTar().file("a", "x").bytes();
        String diffId = Digest.sha256(tar).toString();
        assertThatThrownBy(() -> store.unpackExpected(new ByteArrayInputStream(tar), diffId, D1, () -> { }))
                .hasMessageContaining("layer diff id mismatch");
        assertThatThrownBy(() -> store.unpackExpected(new ByteArrayInputStream(tar), diffId, diffId, () -> {
            throw new IOException("blob digest mismatch");
        })).hasMessage("blob digest mismatch");
        assertThat(store.exists(diffId)).isFalse();
        assertNoLeftovers();
        store.unpackExpected(new ByteArrayInputStream(tar), diffId, diffId, () -> { });
        store.sync();
        assertThat(store.exists(diffId)).isTrue();
    }

    @Test
    void apply_refusesGarbageAndLeavesNothing() {
        InputStream garbage = new ByteArrayInputStream("definitely not a tar ".repeat(100).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.apply(garbage, null)).hasMessageContaining("invalid tar header");
        assertNoLeftovers();
    }

    @Test
    void apply_refusesEntriesThatEscape() throws IOException {
        String out = outside.toString();
        assertRefused(new TestTar().file("ok", "fine").file("../evil", "x"),
                "invalid tar entry \"../evil\": path escapes the layer root");
        assertRefused(new TestTar().dir("a/").file("a/../../evil", "x"),
                "invalid tar entry \"a/../../evil\": path escapes the layer root");
        assertRefused(new TestTar().file(out + "/evil", "x"), "invalid tar entry \"" + out + "/evil\": absolute path");
        assertRefused(new TestTar().hardLink("h", "../outside/sentinel"),
                "invalid tar entry \"h\": hard link target \"../outside/sentinel\" escapes the layer root");
        assertRefused(new TestTar().hardLink("h", out + "/sentinel"),
                "invalid tar entry \"h\": hard link target \"" + out + "/sentinel\" escapes the layer root");
        assertRefused(new TestTar().symlink("dir/l", "../../outside"),
                "invalid tar entry \"dir/l\": symlink target \"../../outside\" escapes the layer root");
        assertRefused(new TestTar().file(".wh...", ""), "invalid tar entry \".wh...\": whiteout of \"..\"");
    }

    @Test
    void apply_neverWritesThroughASymlink() throws IOException {
        String out = outside.toString();
        // the classic breakout: a symlink to outside, then an entry below it
        assertRefused(new TestTar().symlink("escape", out).file("escape/evil", "x"),
                "invalid tar entry \"escape/evil\": parent \"escape\" is a symlink");
        // even a symlink that points inside may not be a parent: the tar could not have come from a real tree
        assertRefused(new TestTar().dir("real/").symlink("alias", "real").file("alias/x", "x"),
                "invalid tar entry \"alias/x\": parent \"alias\" is a symlink");
        assertRefused(new TestTar().symlink("escape", out).file("escape/.wh..wh..opq", ""),
                "invalid tar entry \"escape/.wh..wh..opq\": parent \"escape\" is a symlink");
        assertRefused(new TestTar().symlink("escape", out).file("escape/.wh.sentinel", ""),
                "invalid tar entry \"escape/.wh.sentinel\": parent \"escape\" is a symlink");
        assertRefused(new TestTar().symlink("escape", out).hardLink("h", "escape/sentinel"),
                "invalid tar entry \"h\": hard link target \"escape/sentinel\" is not a file in the layer");
    }

    @Test
    void apply_replacesASymlinkInsteadOfFollowingIt() throws IOException {
        Path sentinel = outside.resolve("sentinel");
        LayerStore.Layer layer = store.apply(new TestTar().symlink("f", sentinel.toString()).file("f", "replaced")
                .symlink("d", outside.toString()).dir("d/").stream(), null);
        Path diff = store.diffDir(layer.chainId());
        assertThat(diff.resolve("f")).isRegularFile().hasContent("replaced");
        assertThat(Files.isDirectory(diff.resolve("d"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(sentinel).hasContent("untouched");
        assertThat(list(tmp)).containsExactlyInAnyOrder("data", "outside");
    }

    @Test
    void apply_refusesHardLinksToMissingEntries() {
        assertRefused(new TestTar().hardLink("h", "nowhere"), "invalid tar entry \"h\": hard link target \"nowhere\" not found");
    }

    @Test
    void apply_refusesEntriesBelowAFile() {
        assertRefused(new TestTar().file("f", "x").file("f/g", "y"), "invalid tar entry \"f/g\": parent \"f\" is not a directory");
    }

    @Test
    void constructor_removesLeftoversOfInterruptedApplies() throws IOException {
        Path leftover = Files.createDirectories(dataRoot.resolve("layers/tmp-123/diff/usr"));
        Files.writeString(leftover.resolve("half"), "written");
        new LayerStore(dataRoot);
        assertThat(list(dataRoot.resolve("layers"))).containsExactly("l");
    }

    @Test
    void remove_deletesTheLayerAndItsShortLink() throws IOException {
        LayerStore.Layer layer = store.apply(new TestTar().file("a", "1").stream(), null);
        Path link = store.shortLink(layer.chainId());
        assertThat(link.getFileName().toString()).hasSize(22);
        assertThat(link.resolve("a")).hasContent("1");
        store.remove(layer.chainId());
        assertThat(store.exists(layer.chainId())).isFalse();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        store.remove(layer.chainId()); // a missing layer is not an error
        assertNoLeftovers();
    }

    private void assertRefused(TestTar tar, String message) {
        assertThatThrownBy(() -> store.apply(tar.stream(), null)).isInstanceOf(IOException.class).hasMessage(message);
        assertNoLeftovers();
        assertThat(list(tmp)).containsExactlyInAnyOrder("data", "outside");
        assertThat(list(outside)).containsExactly("sentinel");
        assertThat(outside.resolve("sentinel")).hasContent("untouched");
    }

    private void assertNoLeftovers() {
        assertThat(list(dataRoot.resolve("layers"))).allMatch(name -> !name.startsWith("tmp-"));
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        return Digest.sha256(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] bzip2(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(out)) {
            bz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
