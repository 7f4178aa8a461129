package dev.berth.api.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * One frame of Docker's multiplexed stream (pkg/stdcopy): an 8-byte header {@code [type,0,0,0,size(be32)]} then the
 * payload. Type 0 is stdin, 1 stdout, 2 stderr, 3 an in-band error from the daemon.
 */
public record StreamFrame(int type, byte[] payload) {
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    public static final int SYSTEMERR = 3;

    /** A frame larger than this is a corrupt stream, not a log line; refusing it bounds memory. */
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    /** Reads the next frame, or returns null at a clean end of stream between frames. */
    public static StreamFrame read(InputStream in) throws IOException {
        byte[] header = new byte[8];
        int got = in.readNBytes(header, 0, 8);
        if (got == 0) {
            return null;
        }
        if (got < 8) {
            throw new EOFException("stream ended inside a frame header");
        }
        long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                | (header[7] & 0xff);
        if (size > MAX_FRAME) {
            throw new IOException("frame of " + size + " bytes exceeds the " + MAX_FRAME + " byte limit");
        }
        byte[] payload = in.readNBytes((int) size);
        if (payload.length < size) {
            throw new EOFException("stream ended inside a frame");
        }
        return new StreamFrame(header[0] & 0xff, payload);
    }
}
