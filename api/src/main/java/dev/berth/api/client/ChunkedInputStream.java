package dev.berth.api.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes an HTTP/1.1 chunked body as it arrives, so streamed replies (logs -f, events, wait) reach the caller chunk by
 * chunk instead of after the whole body.
 */
final class ChunkedInputStream extends InputStream {
    /** A chunk-size line longer than this is not HTTP; refusing it keeps a broken peer from growing memory. */
    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!advance()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            HttpLines.expectCrlf(in);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return done ? 0 : (int) Math.min(remaining, in.available());
    }

    /** Positions at the next data byte; false at the terminating chunk. */
    private boolean advance() throws IOException {
        while (!done && remaining == 0) {
            String line = HttpLines.readLine(in, MAX_LINE);
            if (line == null) {
                throw new EOFException("connection closed before the last chunk");
            }
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("invalid chunk size \"" + hex + "\"", e);
            }
            if (size < 0) {
                throw new IOException("invalid chunk size \"" + hex + "\"");
            }
            if (size == 0) {
                while (true) {
                    String trailer = HttpLines.readLine(in, MAX_LINE);
                    if (trailer == null || trailer.isEmpty()) {
                        break;
                    }
                }
                done = true;
            }
            remaining = size;
        }
        return !done;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
