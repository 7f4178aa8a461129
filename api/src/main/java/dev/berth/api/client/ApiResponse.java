package dev.berth.api.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A successful reply whose body is read as it arrives. The caller owns it and must close it; closing drops the
 * connection, which is also how a follower (logs -f, events) stops the daemon's stream.
 *
 * @param headers lower-cased header names
 */
public record ApiResponse(int status, Map<String, String> headers, InputStream body, AutoCloseable connection)
        implements AutoCloseable {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public byte[] readAll() throws IOException {
        try (this) {
            return body.readAllBytes();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
