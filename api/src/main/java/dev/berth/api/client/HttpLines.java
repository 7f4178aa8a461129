package dev.berth.api.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** CRLF line reading for the status line, headers and chunk sizes, byte by byte so no body byte is consumed. */
final class HttpLines {
    private HttpLines() {
    }

    /** Returns the line without its terminator, or null at end of stream before any byte. */
    static String readLine(InputStream in, int max) throws IOException {
        byte[] buf = new byte[128];
        int len = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (len == 0) {
                    return null;
                }
                break;
            }
            if (c == '\n') {
                break;
            }
            if (len == max) {
                throw new IOException("HTTP line longer than " + max + " bytes");
            }
            if (len == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            buf[len++] = (byte) c;
        }
        if (len > 0 && buf[len - 1] == '\r') {
            len--;
        }
        return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
    }

    static void expectCrlf(InputStream in) throws IOException {
        int c = in.read();
        if (c == '\r') {
            c = in.read();
        }
        if (c != '\n') {
            throw new EOFException("missing CRLF after chunk data");
        }
    }
}
