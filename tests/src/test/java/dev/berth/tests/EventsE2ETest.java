package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code events} through berth and the docker CLI: past events by --since/--until, live ones as they happen. Needs root. */
class EventsE2ETest extends BusyboxDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String now() {
        Instant t = Instant.now();
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    @Test
    void pastEvents_ofAContainersLife_inDockersLineFormat() {
        String since = now();
        String id = Cli.berth(daemon, "run", "--name", "ev1", "--label", "team=blue", "busybox", "sh", "-c", "exit 3").stdout().strip();
        Cli.berth(daemon, "rm", "ev1").assertOk();
        String until = now();
        List<String> lines = Cli.berth(daemon, "events", "--since", since, "--until", until, "--filter", "container=ev1")
                .assertOk().stdout().lines().toList();
        assertThat(lines).extracting(l -> l.split(" ")[2]).containsExactly("create", "attach", "start", "die", "destroy");
        String cid = lines.getFirst().split(" ")[3];
        assertThat(lines.get(3)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}(Z|[+-]\\d\\d:\\d\\d) container die "
                + cid + " \\(execDuration=\\d+, exitCode=3, image=busybox, name=ev1, team=blue\\)");
        assertThat(id).isEmpty(); // an attached run prints the container's output, here nothing
    }

    @Test
    void filters_andFormats_selectAndShapeEvents() throws Exception {
        String since = now();
        Cli.berth(daemon, "run", "-d", "--name", "ev2", "busybox", "sleep", "300").assertOk();
        Cli.berth(daemon, "kill", "ev2").assertOk();
        Cli.berth(daemon, "wait", "ev2").assertOk();
        Cli.berth(daemon, "tag", "busybox", "evimg:1").assertOk();
        Cli.berth(daemon, "rmi", "evimg:1").assertOk();
        String until = now();

        assertThat(Cli.berth(daemon, "events", "--since", since, "--until", until, "--filter", "event=die",
                "--format", "{{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}} {{.Status}}").assertOk().out())
                .isEqualTo("ev2 137 die");
        assertThat(Cli.berth(daemon, "events", "--since", since, "--until", until, "--filter", "event=kill",
                "--format", "{{.Action}} {{.Actor.Attributes.signal}}").assertOk().out()).isEqualTo("kill 9");
        assertThat(Cli.berth(daemon, "events", "--since", since, "--until", until, "--filter", "type=image",
                "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}").assertOk().stdout().lines().toList())
                .containsExactly("image tag evimg:1", "image untag " + imageId());
        for (String line : Cli.berth(daemon, "events", "--since", since, "--until", until, "--filter", "container=ev2",
                "--format", "{{json .}}").assertOk().stdout().lines().toList()) {
            JsonNode e = JSON.readTree(line);
            assertThat(e.path("Type").asText()).isEqualTo("container");
            assertThat(e.path("status").asText()).isEqualTo(e.path("Action").asText());
            assertThat(e.path("id").asText()).isEqualTo(e.path("Actor").path("ID").asText());
            assertThat(e.path("from").asText()).isEqualTo("busybox");
            assertThat(e.path("scope").asText()).isEqualTo("local");
            assertThat(e.path("timeNano").asLong() / 1_000_000_000L).isEqualTo(e.path("time").asLong());
        }
        assertThat(Cli.berth(daemon, "events", "--since", since, "--until", until, "--filter", "label=nosuch").assertOk().out())
                .isEmpty();
        Cli.berth(daemon, "rm", "ev2").assertOk();
    }

    private static String imageId() {
        return Cli.berth(daemon, "image", "inspect", "--format", "{{.Id}}", "busybox").assertOk().out();
    }

    @Test
    void liveEvents_arriveAsTheyHappen_throughBerthAndDocker() throws Exception {
        try (Follower berth = Follower.start(berthCommand("events", "--filter", "container=ev3", "--format", "{{.Action}}"));
                Follower docker = Follower.start(dockerCommand("events", "--filter", "container=ev3", "--format", "{{.Status}}"))) {
            Thread.sleep(1500); // both subscribed before the container exists
            Cli.berth(daemon, "run", "-d", "--name", "ev3", "busybox", "sh", "-c", "sleep 1; exit 5").assertOk();
            assertThat(berth.awaitLine("die", 20)).containsSubsequence("create", "start", "die");
            assertThat(docker.awaitLine("die", 20)).containsSubsequence("create", "start", "die");
        }
        Cli.berth(daemon, "rm", "ev3").assertOk();
    }

    @Test
    void dockerCli_relativeSince_andDefaultFormat() {
        Cli.docker(daemon, "create", "--name", "ev4", "busybox", "true").assertOk();
        Cli.docker(daemon, "rm", "ev4").assertOk();
        String out = Cli.docker(daemon, "events", "--since", "30s", "--until=-1s", "--filter", "container=ev4").assertOk().stdout();
        assertThat(out.lines().toList()).hasSize(2);
        assertThat(out).contains(" container create ").contains(" container destroy ").contains("name=ev4");
        Cli.Result backwards = Cli.docker(daemon, "events", "--since", "1s", "--until", "60s");
        assertThat(backwards.exitCode()).isNotZero();
        assertThat(backwards.stderr()).contains("cannot be after `until` time");
    }

    private static List<String> berthCommand(String... args) {
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.cli.Main", "-H", daemon.host()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> dockerCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", daemon.host()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A long-running events client whose output lines are collected as they come. */
    private record Follower(Process process, BlockingQueue<String> lines) implements AutoCloseable {
        static Follower start(List<String> command) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("DOCKER_CONFIG", "/tmp/berth-tests-docker-config");
            Process p = pb.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
            return new Follower(p, lines);
        }

        /** The lines up to and including {@code wanted}, which must come within {@code seconds}. */
        List<String> awaitLine(String wanted, int seconds) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String l = lines.poll(200, TimeUnit.MILLISECONDS);
                if (l != null) {
                    seen.add(l.strip());
                    if (l.strip().equals(wanted)) {
                        return seen;
                    }
                }
            }
            throw new AssertionError("no \"" + wanted + "\" within " + seconds + " s; saw " + seen);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
