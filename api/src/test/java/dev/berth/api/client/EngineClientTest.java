package dev.berth.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String json(int status, String reason, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n" + body;
    }

    @Test
    void json_sendsVersionedPathAndSortedEncodedQuery() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(r -> r.reply(json(200, "OK", "[{\"Id\":\"abc\"}]")))) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            JsonNode list = client.json(ApiRequest.get("/containers/json").query("filters", "{\"name\":{\"a b\":true}}")
                    .query("all", "1").query("limit", null));
            assertThat(list.get(0).get("Id").asText()).isEqualTo("abc");
            assertThat(daemon.targets).containsExactly(
                    "GET /v1.44/containers/json?all=1&filters=%7B%22name%22%3A%7B%22a+b%22%3Atrue%7D%7D");
        }
    }

    @Test
    void version_isNegotiatedDownToTheDaemonsPingHeader() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(r -> {
            if (r.target().equals("/_ping")) {
                r.reply("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\n");
            } else {
                r.reply(json(200, "OK", "{}"));
            }
        })) {
            EngineClient client = new EngineClient(daemon.host(), JSON, null);
            client.json(ApiRequest.get("/info"));
            client.json(ApiRequest.get("/version"));
            assertThat(daemon.targets).containsExactly("HEAD /_ping", "GET /v1.41/info", "GET /v1.41/version");
        }
    }

    @Test
    void version_keepsItsOwnWhenTheDaemonIsNewer() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(
                r -> r.reply("HTTP/1.1 200 OK\r\nApi-Version: 1.50\r\nContent-Length: 0\r\n\r\n"))) {
            assertThat(new EngineClient(daemon.host(), JSON, null).version()).isEqualTo("1.44");
        }
    }

    @Test
    void send_errorStatusCarriesTheDaemonsJsonMessage() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(
                r -> r.reply(json(404, "Not Found", "{\"message\":\"No such container: web\"}")))) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            assertThatThrownBy(() -> client.call(ApiRequest.post("/containers/web/stop")))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.isNotFound()).isTrue();
                        assertThat(e.getMessage()).isEqualTo("No such container: web");
                    });
        }
    }

    @Test
    void send_nonJsonErrorBodyIsShownAsText() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(r -> r.reply(
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nboom\n\n"))) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            assertThatThrownBy(() -> client.call(ApiRequest.get("/x"))).isInstanceOf(ApiException.class)
                    .hasMessage("boom");
        }
    }

    @Test
    void send_notModifiedIsSuccess() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(r -> r.reply("HTTP/1.1 304 Not Modified\r\n\r\n"))) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            client.call(ApiRequest.post("/containers/web/start"));
            assertThat(daemon.failures).isEmpty();
        }
    }

    @Test
    void send_chunkedBodyIsReadAsItArrives() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        try (FakeDaemon daemon = new FakeDaemon(r -> {
            r.reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
            // The second chunk is only sent once the client has seen the first: a buffering client would hang.
            assertThat(firstRead.await(5, TimeUnit.SECONDS)).isTrue();
            r.reply("6;ext=1\r\nsecond\r\n0\r\n\r\n");
        })) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            try (ApiResponse response = client.send(ApiRequest.get("/events"))) {
                byte[] first = response.body().readNBytes(5);
                assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("first");
                firstRead.countDown();
                assertThat(new String(response.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("second");
            }
            assertThat(daemon.failures).isEmpty();
        }
    }

    @Test
    void send_streamsARequestBodyChunked() throws Exception {
        StringBuilder received = new StringBuilder();
        try (FakeDaemon daemon = new FakeDaemon(r -> {
            received.append(r.headers().get("transfer-encoding")).append('|')
                    .append(new String(FakeDaemon.readBody(r), StandardCharsets.UTF_8));
            r.reply(json(200, "OK", "{\"status\":\"sha256:1\"}\r\n"));
        })) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            InputStream tar = new ByteArrayInputStream("tar-bytes".getBytes(StandardCharsets.UTF_8));
            client.call(ApiRequest.post("/images/create").query("fromSrc", "-").stream(null, tar));
            assertThat(received.toString()).isEqualTo("chunked|tar-bytes");
        }
    }

    @Test
    void postJson_sendsContentTypeAndLength() throws Exception {
        StringBuilder received = new StringBuilder();
        try (FakeDaemon daemon = new FakeDaemon(r -> {
            received.append(r.headers().get("content-type")).append('|')
                    .append(new String(FakeDaemon.readBody(r), StandardCharsets.UTF_8));
            r.reply(json(201, "Created", "{\"Id\":\"c1\",\"Warnings\":[]}"));
        })) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            JsonNode created = client.postJson(ApiRequest.post("/containers/create").query("name", "web"),
                    JSON.createObjectNode().put("Image", "busybox"));
            assertThat(created.get("Id").asText()).isEqualTo("c1");
            assertThat(received.toString()).isEqualTo("application/json|{\"Image\":\"busybox\"}");
            assertThat(daemon.targets).containsExactly("POST /v1.44/containers/create?name=web");
        }
    }

    @Test
    void hijack_upgradesThenStreamsBothWaysWithHalfClose() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(r -> {
            assertThat(r.headers()).containsEntry("connection", "Upgrade").containsEntry("upgrade", "tcp");
            r.reply("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                    + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello ");
            // Echo stdin until the client half-closes, then answer once more: output must survive the half-close.
            byte[] input = r.in().readAllBytes();
            r.reply("got " + new String(input, StandardCharsets.UTF_8));
        })) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            try (HijackedStream stream = client.hijack(ApiRequest.post("/containers/c1/attach").query("stream", "1"))) {
                assertThat(stream.contentType()).isEqualTo("application/vnd.docker.raw-stream");
                stream.input().write("typed".getBytes(StandardCharsets.UTF_8));
                stream.input().flush();
                stream.closeWrite();
                assertThat(new String(stream.output().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("hello got typed");
            }
            assertThat(daemon.failures).isEmpty();
        }
    }

    @Test
    void hijack_errorBeforeUpgradeIsAnApiException() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(
                r -> r.reply(json(404, "Not Found", "{\"message\":\"No such container: x\"}")))) {
            EngineClient client = new EngineClient(daemon.host(), JSON, "1.44");
            assertThatThrownBy(() -> client.hijack(ApiRequest.post("/containers/x/attach")))
                    .isInstanceOf(ApiException.class).hasMessage("No such container: x");
        }
    }

    @Test
    void send_unreachableSocketSaysSoLikeDocker() {
        DaemonHost host = DaemonHost.parse("unix://" + Path.of("/nonexistent/berth.sock"));
        EngineClient client = new EngineClient(host, JSON, "1.44");
        assertThatThrownBy(() -> client.call(ApiRequest.get("/info")))
                .isInstanceOf(DaemonUnreachableException.class)
                .hasMessage("Cannot connect to the Docker daemon at unix:///nonexistent/berth.sock. "
                        + "Is the docker daemon running?");
    }

    @Test
    void streamFrame_readsMultiplexedFrames() throws IOException {
        byte[] bytes = {1, 0, 0, 0, 0, 0, 0, 3, 'o', 'u', 't', 2, 0, 0, 0, 0, 0, 0, 2, 'e', 'r'};
        InputStream in = new ByteArrayInputStream(bytes);
        StreamFrame out = StreamFrame.read(in);
        StreamFrame err = StreamFrame.read(in);
        assertThat(out.type()).isEqualTo(StreamFrame.STDOUT);
        assertThat(new String(out.payload(), StandardCharsets.US_ASCII)).isEqualTo("out");
        assertThat(err.type()).isEqualTo(StreamFrame.STDERR);
        assertThat(new String(err.payload(), StandardCharsets.US_ASCII)).isEqualTo("er");
        assertThat(StreamFrame.read(in)).isNull();
    }

    @Test
    void streamFrame_truncatedHeaderIsAnError() {
        InputStream in = new ByteArrayInputStream(new byte[] {1, 0, 0});
        assertThatThrownBy(() -> StreamFrame.read(in)).isInstanceOf(IOException.class);
    }
}
