package dev.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTest {
    @TempDir
    Path dir;
    ApiServer server;
    final CountDownLatch releaseStream = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        Router router = new Router()
                .add("GET", "/_ping", (ex, p) -> ex.send(200, "text/plain", "OK".getBytes(StandardCharsets.UTF_8)))
                .add("POST", "/count", (ex, p) -> {
                    long n = ex.body().transferTo(OutputStream.nullOutputStream());
                    ex.send(200, "text/plain", Long.toString(n).getBytes(StandardCharsets.UTF_8));
                })
                .add("POST", "/wait", (ex, p) -> {
                    try (OutputStream out = ex.stream(200, "application/json")) {
                        releaseStream.await(10, TimeUnit.SECONDS);
                        out.write("{\"StatusCode\":0}\n".getBytes(StandardCharsets.UTF_8));
                    }
                })
                .add("POST", "/echo", (ex, p) -> {
                    try (Hijacked h = ex.hijack("application/vnd.docker.raw-stream")) {
                        h.in().transferTo(h.out());
                        h.out().write("bye".getBytes(StandardCharsets.UTF_8));
                    }
                });
        server = ApiServer.start(dir.resolve("api.sock"), router, (ex, t) -> Responses.error(ex, 500, t.toString()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("api.sock")));
    }

    private static void send(SocketChannel ch, String s) throws IOException {
        ch.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads until the text contains {@code marker} (or EOF). */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            if (buf.toString(StandardCharsets.UTF_8).contains(marker)) {
                break;
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ping_carriesDockersHeaders_withAndWithoutVersionPrefix() throws IOException {
        try (SocketChannel ch = connect()) {
            InputStream in = Channels.newInputStream(ch);
            send(ch, "GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            String r = readUntil(in, "\r\n\r\nOK");
            assertThat(r).startsWith("HTTP/1.1 200 OK").contains("Api-Version: 1.44", "Server: Docker/", "Ostype: linux");
            send(ch, "GET /v1.41/_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readUntil(in, "\r\n\r\nOK")).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void unknownPath_andTooNewVersion_getDockersErrors() throws IOException {
        try (SocketChannel ch = connect()) {
            InputStream in = Channels.newInputStream(ch);
            send(ch, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readUntil(in, "}")).startsWith("HTTP/1.1 404").contains("content-type: application/json")
                    .contains("{\"message\":\"page not found\"}");
            send(ch, "GET /v1.50/_ping HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readUntil(in, "}")).startsWith("HTTP/1.1 400")
                    .contains("client version 1.50 is too new. Maximum supported API version is 1.44");
        }
    }

    @Test
    void largeBody_streamsThroughToTheHandler() throws IOException {
        try (SocketChannel ch = connect()) {
            InputStream in = Channels.newInputStream(ch);
            int size = 5 * 1024 * 1024;
            send(ch, "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            for (int sent = 0; sent < size; sent += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    ch.write(chunk);
                }
            }
            assertThat(readUntil(in, "\r\n\r\n" + size)).endsWith(Integer.toString(size));
        }
    }

    @Test
    void streamedResponse_flushesHeadersBeforeTheBody() throws IOException {
        try (SocketChannel ch = connect()) {
            InputStream in = Channels.newInputStream(ch);
            send(ch, "POST /wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertThat(readUntil(in, "\r\n\r\n")).startsWith("HTTP/1.1 200 OK").contains("transfer-encoding: chunked");
            releaseStream.countDown();
            assertThat(readUntil(in, "0\r\n\r\n")).contains("{\"StatusCode\":0}");
        }
    }

    @Test
    void hijack_answers101_thenCarriesRawBytesBothWays_untilHalfClose() throws IOException {
        try (SocketChannel ch = connect()) {
            InputStream in = Channels.newInputStream(ch);
            send(ch, "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
            String head = readUntil(in, "\r\n\r\n");
            assertThat(head).startsWith("HTTP/1.1 101 UPGRADED").contains("upgrade: tcp");
            send(ch, "GET / HTTP/1.1 is not parsed any more\n");
            assertThat(readUntil(in, "more\n")).isEqualTo("GET / HTTP/1.1 is not parsed any more\n");
            ch.shutdownOutput();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye");
        }
    }
}
