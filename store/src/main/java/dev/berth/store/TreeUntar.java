package dev.berth.store;

import dev.berth.linux.IdMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Unpacks a plain tar (not a layer: whiteout names are ordinary files) into a directory, with the same guarantees as
 * layer unpacking: entries that are absolute, climb out with "..", pass through a symlink or hard-link outside are
 * refused, and nothing is written outside the directory. Used by {@code cp} into a container and volume import.
 */
public final class TreeUntar {
    private TreeUntar() {}

    /**
     * Unpacks {@code tar} under {@code dir}; {@code owner} (uid, gid) replaces every entry's owner, null keeps the tar's.
     * Returns the bytes of file content written.
     */
    public static long unpack(InputStream tar, Path dir, int[] owner) throws IOException {
        return unpack(tar, dir, owner, null);
    }

    /** As {@link #unpack(InputStream, Path, int[])} into the files of a container in user namespace {@code userns}. */
    public static long unpack(InputStream tar, Path dir, int[] owner, IdMap userns) throws IOException {
        return new LayerUnpacker(dir, false, owner, userns).unpack(new TarReader(tar));
    }

    /** Copies the tree under {@code from} into {@code to}, keeping owners, modes, times, xattrs and hard links. */
    public static void copy(Path from, Path to) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (out) {
                TreeTar.write(from, out);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        try (in) {
            unpack(in, to, null);
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } finally {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while copying " + from, e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
