package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.Cli;
import dev.berth.cli.FakeDaemon;
import dev.berth.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docker run's call sequence and exit codes against a scripted daemon. */
class RunCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(FakeDaemon daemon, String... args) {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("DOCKER_HOST", daemon.host(), "DOCKER_API_VERSION", "1.44"), false, false);
        return Main.run(args, cli);
    }

    private static String frame(int stream, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return new String(new byte[] {(byte) stream, 0, 0, 0, 0, 0, 0, (byte) payload.length},
                StandardCharsets.ISO_8859_1) + text;
    }

    @Test
    void run_attachesAndWaitsBeforeStartThenExitsWithTheContainersCode() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (FakeDaemon daemon = new FakeDaemon(x -> {
            String call = x.call();
            if (call.startsWith("POST /containers/create")) {
                x.replyJson(201, "{\"Id\":\"c1\",\"Warnings\":[\"low memory\"]}");
            } else if (call.startsWith("POST /containers/c1/attach")) {
                x.reply("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n"
                        + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
                assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
                x.reply(frame(1, "out\n") + frame(2, "err\n"));
            } else if (call.startsWith("POST /containers/c1/wait")) {
                x.reply("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
                x.reply("12\r\n{\"StatusCode\":3}\n\r\n0\r\n\r\n");
            } else if (call.equals("POST /containers/c1/start")) {
                x.reply("HTTP/1.1 204 No Content\r\n\r\n");
                started.countDown();
            }
        })) {
            int code = run(daemon, "run", "--rm", "--name", "web", "busybox", "sh", "-c", "exit 3");
            assertThat(code).isEqualTo(3);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("WARNING: low memory\nerr\n");
            assertThat(daemon.calls).containsExactly("POST /containers/create?name=web",
                    "POST /containers/c1/attach?stderr=1&stdout=1&stream=1",
                    "POST /containers/c1/wait?condition=removed", "POST /containers/c1/start");
            assertThat(daemon.failures).isEmpty();
        }
    }

    @Test
    void runDetached_printsTheFullId() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(x -> {
            if (x.call().startsWith("POST /containers/create")) {
                x.replyJson(201, "{\"Id\":\"" + "a".repeat(64) + "\",\"Warnings\":[]}");
            } else {
                x.reply("HTTP/1.1 204 No Content\r\n\r\n");
            }
        })) {
            assertThat(run(daemon, "run", "-d", "busybox", "sleep", "9")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("a".repeat(64) + "\n");
            assertThat(daemon.calls).containsExactly("POST /containers/create",
                    "POST /containers/" + "a".repeat(64) + "/start");
        }
    }

    @Test
    void run_missingImageSaysUnableToFindAndExits125() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(
                x -> x.replyJson(404, "{\"message\":\"No such image: busybox:latest\"}"))) {
            assertThat(run(daemon, "run", "busybox")).isEqualTo(125);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("Unable to find image 'busybox:latest' locally\n"
                    + "berth: Error response from daemon: No such image: busybox:latest\n\n"
                    + "Run 'berth run --help' for more information\n");
        }
    }

    @Test
    void run_commandNotFoundAtStartExits127() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(x -> {
            String call = x.call();
            if (call.startsWith("POST /containers/create")) {
                x.replyJson(201, "{\"Id\":\"c1\",\"Warnings\":[]}");
            } else if (call.startsWith("POST /containers/c1/attach")) {
                x.reply("HTTP/1.1 101 UPGRADED\r\n\r\n");
            } else if (call.startsWith("POST /containers/c1/wait")) {
                x.reply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            } else {
                x.replyJson(400, "{\"message\":\"exec: \\\"nosuch\\\": executable file not found in $PATH\"}");
            }
        })) {
            assertThat(run(daemon, "run", "busybox", "nosuch")).isEqualTo(127);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("berth: Error response from daemon: exec:");
        }
    }

    @Test
    void stop_printsNamesAndCollectsErrors() throws Exception {
        try (FakeDaemon daemon = new FakeDaemon(x -> {
            if (x.call().startsWith("POST /containers/web/stop")) {
                x.reply("HTTP/1.1 304 Not Modified\r\n\r\n");
            } else {
                x.replyJson(404, "{\"message\":\"No such container: nosuch\"}");
            }
        })) {
            assertThat(run(daemon, "stop", "-t", "3", "web", "nosuch")).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("web\n");
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .isEqualTo("Error response from daemon: No such container: nosuch\n");
            assertThat(daemon.calls).first().isEqualTo("POST /containers/web/stop?t=3");
        }
    }

    @Test
    void ps_rendersDockersTable() throws Exception {
        long created = java.time.Instant.now().getEpochSecond() - 300;
        try (FakeDaemon daemon = new FakeDaemon(x -> x.replyJson(200, "[{\"Id\":\"" + "b".repeat(64)
                + "\",\"Names\":[\"/web\"],\"Image\":\"busybox\",\"ImageID\":\"sha256:1\",\"Command\":\"sleep 1000\","
                + "\"Created\":" + created + ",\"Ports\":[],\"Labels\":{},\"State\":\"running\","
                + "\"Status\":\"Up 5 minutes\",\"Mounts\":[],\"NetworkSettings\":{\"Networks\":{}}}]"))) {
            assertThat(run(daemon, "ps")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                    "CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS         PORTS     NAMES\n"
                    + "bbbbbbbbbbbb   busybox   \"sleep 1000\"   5 minutes ago   Up 5 minutes             web\n");
            assertThat(daemon.calls).containsExactly("GET /containers/json");
        }
    }
}
