package dev.berth.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process daemon on a temporary Unix socket for CLI tests: it records "METHOD /path?query" (version prefix
 * removed) and lets the test answer with raw HTTP bytes.
 */
public final class FakeDaemon implements AutoCloseable {
    /** One request: its line, and the connection to answer on. */
    public record Exchange(String call, InputStream in, OutputStream out) {
        public void reply(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        public void replyJson(int status, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            reply("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n" + json);
        }
    }

    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public final List<Throwable> failures = new CopyOnWriteArrayList<>();

    public FakeDaemon(Handler handler) throws IOException {
        dir = Files.createTempDirectory("fake-berthd");
        socket = dir.resolve("berth.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel ch = server.accept();
                    Thread.ofVirtual().start(() -> serve(ch, handler));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    public String host() {
        return "unix://" + socket;
    }

    private void serve(SocketChannel ch, Handler handler) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            String line = readLine(in);
            long length = 0;
            String header;
            while (!(header = readLine(in)).isEmpty()) {
                if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                }
            }
            in.readNBytes((int) length);
            String target = line.split(" ")[1].replaceFirst("^/v1\\.\\d+", "");
            String call = line.split(" ")[0] + " " + target;
            calls.add(call);
            handler.handle(new Exchange(call, in, Channels.newOutputStream(ch)));
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }
}
