package dev.berth.store;

import dev.berth.linux.FileOps;
import dev.berth.oci.Digest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import com.github.luben.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Unpacked layers in overlay format under {@code <dataRoot>/layers/<chainId hex>/diff}, shared by images.
 *
 * <p>A layer is identified by its chain id (OCI image spec): the diff id (sha256 of the uncompressed tar) for a base
 * layer, else {@code sha256(parentChainId + " " + diffId)}, so the same tar on different parents gives different
 * layers. A layer directory is complete or absent: it is unpacked under a {@code tmp-*} name, flushed to disk and
 * renamed into place; removal renames it away before deleting. {@code tmp-*} leftovers of a crash are deleted when
 * the store is opened. {@code layers/l/} holds short symlinks to the diff dirs for overlay mounts (see
 * {@link OverlaySnapshotter}).
 */
public final class LayerStore {
    private static final String TEMP_PREFIX = "tmp-";
    private static final int BUFFER = 64 * 1024;

    private final Path layers;
    private final Path links;

    /** Ids as "sha256:<hex>"; {@code size} is the bytes of unpacked file content, as Docker reports an image's size. */
    public record Layer(String chainId, String diffId, long size) {}

    public LayerStore(Path dataRoot) throws IOException {
        layers = dataRoot.resolve("layers");
        links = layers.resolve("l");
        Files.createDirectories(links);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(layers, TEMP_PREFIX + "*")) {
            for (Path leftover : leftovers) {
                FileTrees.delete(leftover);
            }
        }
    }

    /**
     * Unpacks a layer tar (uncompressed, gzip, zstd or bzip2, told apart by their magic bytes) on top of {@code parentChainId}
     * (null for a base layer). The diff id is computed while the tar streams. If the layer already exists the new copy
     * is discarded and the existing one returned. On failure (a bad or unsafe tar) nothing is left behind. The stream is
     * read to its end and not closed.
     */
    public Layer apply(InputStream tar, String parentChainId) throws IOException {
        if (parentChainId != null && !exists(parentChainId)) {
            throw new IOException("cannot apply layer: parent layer " + parentChainId + " does not exist");
        }
        return unpack(tar, diffId -> parentChainId == null ? diffId : chainId(parentChainId, diffId), () -> { }, true);
    }

    /** A last check before a layer is renamed into place; throwing from it discards the layer. */
    @FunctionalInterface
    public interface Check {
        void run() throws IOException;
    }

    /**
     * Unpacks a layer whose diff id and chain id are known in advance (a pulled image's config names them), so that the
     * layers of one image can be unpacked at the same time in any order. The diff id is verified while the tar streams
     * and {@code beforeCommit} runs before the rename (a puller checks the compressed blob's digest there). The layer is
     * not flushed to disk: the caller calls {@link #sync()} once when a batch of layers is in place, before recording
     * them anywhere.
     */
    public Layer unpackExpected(InputStream tar, String chainId, String expectedDiffId, Check beforeCommit)
            throws IOException {
        return unpack(tar, diffId -> {
            if (!diffId.equals(expectedDiffId)) {
                throw new IOException("layer diff id mismatch: expected " + expectedDiffId + ", got " + diffId);
            }
            return chainId;
        }, beforeCommit, false);
    }

    @FunctionalInterface
    private interface Naming {
        String chainId(String diffId) throws IOException;
    }

    private Layer unpack(InputStream tar, Naming naming, Check beforeCommit, boolean sync) throws IOException {
        Path temp = Files.createTempDirectory(layers, TEMP_PREFIX);
        try {
            Path diff = Files.createDirectory(temp.resolve("diff"));
            Files.setAttribute(diff, "unix:mode", 0755);
            MessageDigest sha256 = Digest.newSha256();
            InputStream plain = new DigestInputStream(decompress(tar), sha256);
            long size = LayerTar.unpack(plain, diff);
            plain.transferTo(OutputStream.nullOutputStream()); // what follows the end-of-archive marker is digested too
            String diffId = Digest.sha256Of(sha256).toString();
            String chainId = naming.chainId(diffId);
            beforeCommit.run();
            commit(temp, layerDir(chainId), sync);
            return new Layer(chainId, diffId, size);
        } catch (Throwable e) {
            try {
                FileTrees.delete(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw NoSpaceException.named(io, temp);
            }
            throw e;
        }
    }

    /** Flushes every layer unpacked without a flush ({@link #unpackExpected}) to disk: one syncfs for all of them. */
    public void sync() throws IOException {
        FileOps.syncfs(layers);
    }

    /** Renames a complete layer into place, after flushing it: the rename must not reach the disk before the files. */
    private void commit(Path temp, Path target, boolean sync) throws IOException {
        if (Files.exists(target)) {
            FileTrees.delete(temp); // same chain id, same content: keep the existing copy
            return;
        }
        if (sync) {
            FileOps.syncfs(temp);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.exists(target)) {
                throw e;
            }
            FileTrees.delete(temp); // a concurrent apply of the same layer got there first
            return;
        }
        if (sync) {
            FileOps.syncfs(layers); // the rename itself, before anyone records the layer as present
        }
    }

    /** The chain ids of a stack of diff ids, bottom first. */
    public List<String> chainIds(List<String> diffIds) {
        List<String> chainIds = new ArrayList<>(diffIds.size());
        String parent = null;
        for (String diffId : diffIds) {
            parent = parent == null ? Digest.parse(diffId).toString() : chainId(parent, diffId);
            chainIds.add(parent);
        }
        return chainIds;
    }

    private static String chainId(String parentChainId, String diffId) {
        return Digest.sha256((parentChainId + " " + diffId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public boolean exists(String chainId) {
        return Files.isDirectory(diffDir(chainId), LinkOption.NOFOLLOW_LINKS);
    }

    /** {@code <dataRoot>/layers/<hex>/diff}, whether or not the layer exists. */
    public Path diffDir(String chainId) {
        return layerDir(chainId).resolve("diff");
    }

    /** Removes the layer; a missing layer is not an error. Layers built on it are the caller's concern. */
    public void remove(String chainId) throws IOException {
        Files.deleteIfExists(links.resolve(shortName(chainId)));
        Path dir = layerDir(chainId);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path doomed = Files.createTempDirectory(layers, TEMP_PREFIX);
        Files.move(dir, doomed.resolve("layer"), StandardCopyOption.ATOMIC_MOVE);
        FileTrees.delete(doomed);
    }

    /**
     * {@code layers/l/<short>}, a symlink to the layer's diff dir, created if missing. The name is 22 characters (128
     * bits of the chain id in URL-safe base64) where the diff dir path has over 90; the link names the full chain id,
     * so a clash of short names is detected, never silently shared.
     */
    Path shortLink(String chainId) throws IOException {
        Path link = links.resolve(shortName(chainId));
        Path target = Path.of("..", Digest.parse(chainId).hex(), "diff");
        try {
            Files.createSymbolicLink(link, target);
        } catch (FileAlreadyExistsException e) {
            if (!Files.readSymbolicLink(link).equals(target)) {
                throw new IOException("short link " + link + " of layer " + chainId + " points to "
                        + Files.readSymbolicLink(link), e);
            }
        }
        return link;
    }

    /** {@code <dataRoot>/layers}: what {@link OverlaySnapshotter} shows containers of a user namespace, idmapped. */
    Path directory() {
        return layers;
    }

    private static String shortName(String chainId) {
        byte[] digest = HexFormat.of().parseHex(Digest.parse(chainId).hex());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }

    private Path layerDir(String chainId) {
        return layers.resolve(Digest.parse(chainId).hex());
    }

    /** A layer blob as its uncompressed tar, whatever its compression (gzip, zstd, bzip2 or none). */
    public static InputStream uncompressed(InputStream blob) throws IOException {
        return decompress(blob);
    }

    /** Layer blobs come gzip-compressed from registries, plain from {@code docker load} and builds, rarely bzip2. */
    private static InputStream decompress(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(4);
        buffered.reset();
        if (startsWith(magic, 0x1f, 0x8b)) {
            // buffered after the inflater too: the tar reader's small reads must not each cross into zlib
            return new BufferedInputStream(new GZIPInputStream(buffered, BUFFER), BUFFER);
        }
        if (startsWith(magic, 'B', 'Z', 'h')) {
            return new BufferedInputStream(new BZip2CompressorInputStream(buffered, true), BUFFER);
        }
        if (startsWith(magic, 0x28, 0xb5, 0x2f, 0xfd)) {
            return new BufferedInputStream(new ZstdInputStream(buffered), BUFFER);
        }
        return buffered;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
