package dev.berth.engine.images;

import dev.berth.oci.MediaTypes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies everything read to an output, so a stream can be consumed and kept in one pass. */
final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;

    TeeInputStream(InputStream in, OutputStream copy) {
        super(in);
        this.copy = copy;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            copy.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            copy.write(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return 0; // every byte must be read to be copied
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** The layer media type of a kept tar, from its magic bytes: gzip, zstd or plain. */
    static String mediaType(Path blob) throws IOException {
        byte[] magic;
        try (InputStream in = Files.newInputStream(blob)) {
            magic = in.readNBytes(4);
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return MediaTypes.DOCKER_LAYER;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return MediaTypes.OCI_LAYER_ZSTD;
        }
        return MediaTypes.OCI_LAYER;
    }
}
