package dev.berth.api.client;

import java.io.BufferedInputStream;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-process HTTP peer on a temporary Unix socket; each test scripts the raw bytes it answers with. */
final class FakeDaemon implements AutoCloseable {
    record Request(String method, String target, Map<String, String> headers, SocketChannel channel,
            InputStream in, OutputStream out) {
        void reply(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    interface Handler {
        void handle(Request request) throws Exception;
    }

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    final List<String> targets = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    FakeDaemon(Handler handler) throws IOException {
        dir = Files.createTempDirectory("fake-daemon");
        socket = dir.resolve("d.sock");
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

    DaemonHost host() {
        return DaemonHost.parse("unix://" + socket);
    }

    private void serve(SocketChannel ch, Handler handler) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            String line = HttpLines.readLine(in, 8192);
            if (line == null) {
                return;
            }
            String[] parts = line.split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while ((h = HttpLines.readLine(in, 8192)) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            targets.add(parts[0] + " " + parts[1]);
            handler.handle(new Request(parts[0], parts[1], headers, ch, in, Channels.newOutputStream(ch)));
        } catch (Exception e) {
            failures.add(e);
        }
    }

    static byte[] readBody(Request r) throws IOException {
        String length = r.headers().get("content-length");
        if (length != null) {
            return r.in().readNBytes(Integer.parseInt(length));
        }
        if ("chunked".equals(r.headers().get("transfer-encoding"))) {
            return new ChunkedInputStream(r.in()).readAllBytes();
        }
        return new byte[0];
    }

    static List<String> lines(String s) {
        return new ArrayList<>(List.of(s.split("\n")));
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }
}
