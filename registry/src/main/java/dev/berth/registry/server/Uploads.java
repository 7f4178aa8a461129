package dev.berth.registry.server;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blob uploads in progress. Each upload is a file in {@code uploads/<uuid>/data} that requests append to; its sha256 is
 * computed while the bytes arrive, so completing a large upload does not read it again. After a restart the running
 * digest is unknown and the file is hashed once at completion: uploads survive restarts and stay resumable.
 *
 * <p>One request at a time may write to an upload; a second one gets 416, as a chunk out of order would.
 */
final class Uploads {
    private final RegistryStorage storage;
    private final Map<String, Upload> open = new ConcurrentHashMap<>();

    Uploads(RegistryStorage storage) {
        this.storage = storage;
    }

    /** A writable upload; {@link #close()} releases it. */
    final class Upload implements AutoCloseable {
        final String uuid;
        final Path data;
        long size;
        MessageDigest sha256;
        private FileChannel channel;
        private boolean busy;

        private Upload(String uuid, Path data) throws IOException {
            this.uuid = uuid;
            this.data = data;
            this.size = Files.size(data);
            this.sha256 = size == 0 ? RegistryStorage.hasher("sha256") : null;
        }

        void write(ByteBuffer chunk) throws IOException {
            if (channel == null) {
                channel = FileChannel.open(data, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            if (sha256 != null) {
                sha256.update(chunk.duplicate());
            }
            while (chunk.hasRemaining()) {
                size += channel.write(chunk);
            }
        }

        /** The content's digest in the algorithm asked for. */
        Digest digest(String algorithm) throws IOException {
            closeChannel();
            if (algorithm.equals("sha256") && sha256 != null) {
                try {
                    MessageDigest copy = (MessageDigest) sha256.clone();
                    return new Digest("sha256", HexFormat.of().formatHex(copy.digest()));
                } catch (CloneNotSupportedException e) {
                    // fall through and hash the file
                }
            }
            return RegistryStorage.digestOf(data, algorithm);
        }

        private void closeChannel() throws IOException {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }

        /** Forgets the upload once it is completed or cancelled. */
        void finish() throws IOException {
            closeChannel();
            open.remove(uuid, this);
            storage.deleteUpload(uuid);
        }

        @Override
        public void close() {
            try {
                closeChannel();
            } catch (IOException e) {
                // the next request sees the size on disk
            }
            synchronized (this) {
                busy = false;
            }
        }
    }

    String create(String name) throws IOException {
        return storage.newUpload(name);
    }

    /**
     * Takes the upload for one request, or returns empty if it does not exist in this repository.
     *
     * @throws RegistryError 416 if another request is writing to it
     */
    Optional<Upload> acquire(String name, String uuid) throws IOException {
        Optional<Path> data = storage.upload(name, uuid);
        if (data.isEmpty()) {
            open.remove(uuid);
            return Optional.empty();
        }
        Upload u;
        try {
            u = open.computeIfAbsent(uuid, id -> {
                try {
                    return new Upload(id, data.get());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        synchronized (u) {
            if (u.busy) {
                throw new RegistryError(416, "BLOB_UPLOAD_INVALID", "upload " + uuid + " is being written to");
            }
            u.busy = true;
        }
        if (u.channel == null) {
            // the file is the truth (e.g. after a request that failed half way)
            long onDisk = Files.size(u.data);
            if (onDisk != u.size) {
                u.size = onDisk;
                u.sha256 = null;
            }
        }
        return Optional.of(u);
    }
}
