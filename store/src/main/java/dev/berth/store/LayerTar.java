package dev.berth.store;

import dev.berth.linux.IdMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The layer tar codec: OCI/Docker layer tars on one side, overlayfs directories (a layer's diff dir, a container's upper
 * dir) on the other. The two differ only in how they say "deleted" and "replaced":
 *
 * <pre>
 *   layer tar                       overlay directory
 *   &lt;dir&gt;/.wh.&lt;name&gt;    (empty file)  &lt;dir&gt;/&lt;name&gt; as a character device 0/0 (a whiteout)
 *   &lt;dir&gt;/.wh..wh..opq (empty file)  &lt;dir&gt; with xattr trusted.overlay.opaque=y (lower contents hidden)
 * </pre>
 *
 * Everything else maps one to one: uid/gid, mode with setuid/setgid/sticky bits, mtime, symlinks, hard links, fifos,
 * device nodes and xattrs (PAX SCHILY.xattr.* records). overlayfs's own xattrs (trusted.overlay.*) never travel in
 * either direction except as the opaque marker above.
 */
public final class LayerTar {
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    /** Names starting with this are whiteout metadata (aufs's, apart from the opaque marker), never files. */
    static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";

    private LayerTar() {}

    /**
     * Writes {@code diffDir} (overlay format, e.g. a container's upper dir) as a layer tar: whiteout devices become
     * {@code .wh.} files and opaque directories get a {@code .wh..wh..opq} entry. Entries are sorted by name, so the
     * same tree gives the same bytes and the same diff id. {@code out} is flushed, not closed.
     */
    public static void writeDiff(Path diffDir, OutputStream out) throws IOException {
        writeDiff(diffDir, out, null);
    }

    /** As {@link #writeDiff(Path, OutputStream)}, owners as a container in user namespace {@code userns} sees them. */
    public static void writeDiff(Path diffDir, OutputStream out, IdMap userns) throws IOException {
        TreeTar.write(diffDir, out, true, userns);
    }

    /**
     * Unpacks an uncompressed layer tar into the empty directory {@code diffDir} in overlay format, refusing entries that
     * would reach outside it; returns the bytes of regular file content unpacked (each hard-linked file counted once).
     * Reads the tar up to its end-of-archive marker only.
     */
    static long unpack(InputStream tar, Path diffDir) throws IOException {
        return new LayerUnpacker(diffDir).unpack(new TarReader(tar));
    }
}
