package dev.berth.store;

import dev.berth.oci.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs by digest under {@code <dataRoot>/blobs/sha256/<hex>}: compressed layers as a registry served them, manifests
 * and configs. A blob is written to {@code ingest/<hex>} first, digested as it is written, and renamed into place only
 * when its size and digest are right, so a blob file is always complete and correct. A partial ingest file is kept when a
 * transfer breaks, so the next one can resume where it stopped ({@link Ingest#offset()}); one that turns out wrong, or
 * that the disk refused a write of (full: {@link NoSpaceException}), is deleted.
 */
public final class ContentStore {
    private static final int BUFFER = 1 << 20;
    /** How a partial blob in ingest/ is named: the hex of the digest it is expected to have. */
    private static final Pattern RESUMABLE = Pattern.compile("[0-9a-f]{64}");

    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path dataRoot) throws IOException {
        blobs = Files.createDirectories(dataRoot.resolve("blobs").resolve("sha256"));
        ingest = Files.createDirectories(dataRoot.resolve("ingest"));
    }

    /**
     * Clears what earlier runs left in {@code ingest/}, for a daemon that starts: a partial blob named by its digest is
     * kept for a resumed transfer while it is younger than {@code maxAge} and removed after; anything else (the
     * temporary files of writers whose digest was not known yet, scratch directories of save and load) cannot be
     * resumed and is removed whatever its age. Must run before any transfer starts. Returns the entries removed.
     */
    public int removeIngestLeftovers(Duration maxAge) throws IOException {
        Instant cutoff = Instant.now().minus(maxAge);
        int removed = 0;
        try (Stream<Path> entries = Files.list(ingest)) {
            for (Path p : entries.toList()) {
                boolean resumable = RESUMABLE.matcher(p.getFileName().toString()).matches()
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
                if (resumable && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(cutoff)) {
                    continue;
                }
                FileTrees.delete(p);
                removed++;
            }
        }
        return removed;
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public Optional<byte[]> read(Digest digest) throws IOException {
        Path p = path(digest);
        return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    }

    /** Stores small content (a manifest, a config) in one go; returns its digest. */
    public Digest put(byte[] content) throws IOException {
        Digest d = Digest.sha256(content);
        try (Ingest in = ingest(d)) {
            in.restart();
            in.write(content);
            in.commit(content.length);
        }
        return d;
    }

    /**
     * Opens the ingest file of {@code expected}, keeping what an earlier transfer left in it (digested again here, so the
     * writer can continue from {@link Ingest#offset()}). Only one writer per digest may be open at a time; callers that
     * may race on the same blob serialise themselves.
     */
    public Ingest ingest(Digest expected) throws IOException {
        if (!expected.algorithm().equals("sha256")) {
            throw new IOException("unsupported digest algorithm " + expected.algorithm());
        }
        return new Ingest(expected, ingest.resolve(expected.hex()));
    }

    /** Starts writing a blob whose digest is not known yet (a layer being compressed, an imported tar). */
    public Writer writer() throws IOException {
        return new Writer(Files.createTempFile(ingest, "w-", ""));
    }

    /** What a {@link Writer} stored. */
    public record Written(Digest digest, long size) {}

    /** A blob of unknown digest being written: digested as it goes, renamed into place by {@link #commit()}. */
    public final class Writer extends OutputStream {
        private final Path file;
        private final MessageDigest sha256 = Digest.newSha256();
        private final OutputStream out;
        private long written;
        private boolean done;

        private Writer(Path file) throws IOException {
            this.file = file;
            this.out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            sha256.update(b, off, len);
            written += len;
        }

        public Written commit() throws IOException {
            out.close();
            Digest d = Digest.sha256Of(sha256);
            Files.move(file, path(d), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return new Written(d, written);
        }

        /** Without a commit, the partial file is removed. */
        @Override
        public void close() throws IOException {
            if (!done) {
                out.close();
                Files.deleteIfExists(file);
            }
        }
    }

    /** A blob being written: an output stream that digests what it writes. */
    public final class Ingest extends OutputStream {
        private final Digest expected;
        private final Path file;
        private MessageDigest sha256 = Digest.newSha256();
        private OutputStream out;
        private long written;
        private boolean done;

        private Ingest(Digest expected, Path file) throws IOException {
            this.expected = expected;
            this.file = file;
            if (Files.exists(file)) {
                try (InputStream old = Files.newInputStream(file)) {
                    byte[] buf = new byte[BUFFER];
                    for (int n; (n = old.read(buf)) > 0; ) {
                        sha256.update(buf, 0, n);
                        written += n;
                    }
                }
            }
            out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND), BUFFER);
        }

        /** Bytes already in the ingest file, from an earlier transfer. */
        public long offset() {
            return written;
        }

        /** The bytes already in the ingest file, for a reader that needs the blob from its start. */
        public InputStream existing() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw abandon(e);
            }
            return new java.io.BufferedInputStream(Files.newInputStream(file), BUFFER) {
                private long left = written;

                @Override
                public synchronized int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }

                @Override
                public synchronized int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }
            };
        }

        /** Forgets what an earlier transfer wrote (a server that cannot resume sends the blob from its start). */
        public void restart() throws IOException {
            out.close();
            out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), BUFFER);
            sha256 = Digest.newSha256();
            written = 0;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /**
         * Writes and digests. A failed write (a full disk) drops the ingest file: what reached it is not known, so it
         * could not be resumed, and the space goes back to the file system at once.
         */
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw abandon(e);
            }
            sha256.update(b, off, len);
            written += len;
        }

        private IOException abandon(IOException e) {
            try {
                out.close();
            } catch (IOException again) {
                // the buffer cannot be flushed either: the file goes anyway
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            done = true;
            return NoSpaceException.named(e, file);
        }

        /**
         * Checks size (if known, {@code >= 0}) and digest and renames the blob into place. A mismatch deletes the ingest
         * file and throws an exception naming the digest.
         */
        public void commit(long expectedSize) throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw abandon(e);
            }
            Digest actual = Digest.sha256Of(sha256);
            if (expectedSize >= 0 && written != expectedSize || !actual.equals(expected)) {
                Files.deleteIfExists(file);
                done = true;
                throw new IOException(expectedSize >= 0 && written != expectedSize
                        ? "failed size validation: " + written + " != " + expectedSize + " for " + expected
                        : "digest mismatch: expected " + expected + ", got " + actual);
            }
            Path target = path(expected);
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        }

        /** Drops the partial content for good (a bad blob). */
        public void discard() throws IOException {
            out.close();
            Files.deleteIfExists(file);
            done = true;
        }

        /** Closes the file; an uncommitted ingest keeps its bytes for a later resume. */
        @Override
        public void close() throws IOException {
            if (!done) {
                out.close();
            }
        }
    }
}
