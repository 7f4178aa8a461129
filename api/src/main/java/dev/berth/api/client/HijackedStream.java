package dev.berth.api.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The raw, bidirectional connection left after the daemon answered an attach with 101 UPGRADED. Output is framed or
 * raw depending on the container's Tty (the caller decides, as Docker's CLI does, from inspect). When the caller's
 * stdin ends it calls {@link #closeWrite()} so the daemon closes the process's stdin while output keeps flowing.
 */
public final class HijackedStream implements AutoCloseable {
    private final UnixConnection connection;
    private final String contentType;

    HijackedStream(UnixConnection connection, String contentType) {
        this.connection = connection;
        this.contentType = contentType;
    }

    public InputStream output() {
        return connection.in();
    }

    public OutputStream input() {
        return connection.out();
    }

    public String contentType() {
        return contentType;
    }

    public void closeWrite() throws IOException {
        connection.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
