package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Health checks: probes run inside real containers, State.Health, ps status and filter, events. Needs root. */
class HealthCheckE2ETest extends BusyboxDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Result berth(String... args) {
        return Cli.berth(daemon, args);
    }

    private static String awaitInspect(String name, String format, Predicate<String> ok, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String value = berth("inspect", "--format", format, name).assertOk().out();
        while (!ok.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = berth("inspect", "--format", format, name).assertOk().out();
        }
        return value;
    }

    @Test
    void healthCmd_startingThenHealthyThenUnhealthy_inInspectPsAndEvents() throws Exception {
        String since = Instant.now().getEpochSecond() + "";
        // failures in the start period do not count while the container is starting; once healthy, they do
        berth("run", "-d", "--name", "h1", "--health-cmd", "cat /tmp/ok", "--health-interval", "200ms",
                "--health-start-period", "60s", "--health-retries", "2", "busybox", "sh", "-c",
                "sleep 5; echo fine > /tmp/ok; sleep 15; rm /tmp/ok; sleep 300").assertOk(); // healthy long enough to look
        assertThat(berth("ps", "--filter", "name=h1", "--format", "{{.Status}}").out()).matches("Up .* \\(health: starting\\)");
        assertThat(awaitInspect("h1", "{{.State.Health.Status}}", "healthy"::equals, 15)).isEqualTo("healthy");
        assertThat(berth("ps", "--filter", "name=h1", "--format", "{{.Status}}").out()).matches("Up .* \\(healthy\\)");
        assertThat(berth("ps", "--filter", "health=healthy", "--filter", "name=h1", "--format", "{{.Names}}").out())
                .isEqualTo("h1");
        JsonNode health = JSON.readTree(berth("inspect", "--format", "{{json .State.Health}}", "h1").out());
        JsonNode last = health.path("Log").get(health.path("Log").size() - 1);
        assertThat(last.path("ExitCode").asInt()).isZero();
        assertThat(last.path("Output").asText()).isEqualTo("fine\n");
        assertThat(health.path("FailingStreak").asInt()).isZero();

        assertThat(awaitInspect("h1", "{{.State.Health.Status}}", "unhealthy"::equals, 30)).isEqualTo("unhealthy");
        assertThat(berth("ps", "--filter", "name=h1", "--format", "{{.Status}}").out()).matches("Up .* \\(unhealthy\\)");
        assertThat(berth("ps", "--filter", "health=unhealthy", "-q").out()).isNotEmpty();
        health = JSON.readTree(berth("inspect", "--format", "{{json .State.Health}}", "h1").out());
        assertThat(health.path("FailingStreak").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(health.path("Log").size()).isEqualTo(5);
        assertThat(health.path("Log").get(4).path("ExitCode").asInt()).isEqualTo(1);
        assertThat(health.path("Log").get(4).path("Output").asText()).contains("No such file or directory");

        String until = Instant.now().getEpochSecond() + 1 + "";
        assertThat(berth("events", "--since", since, "--until", until, "--filter", "event=health_status",
                "--filter", "container=h1", "--format", "{{.Action}}").assertOk().stdout().lines().toList())
                .containsExactly("health_status: healthy", "health_status: unhealthy");
        berth("rm", "-f", "h1").assertOk();
    }

    @Test
    void imageHealthcheck_fromImportChange_isUsed_andNoHealthcheckDisablesIt() throws Exception {
        berth("import", "--change", "HEALTHCHECK --interval=200ms --timeout=2s --retries=1 CMD [\"true\"]",
                "--change", "CMD [\"sleep\", \"300\"]", Images.busyboxTar().toString(), "hcimg").assertOk();
        JsonNode config = JSON.readTree(berth("image", "inspect", "--format", "{{json .Config.Healthcheck}}", "hcimg").out());
        assertThat(config.path("Test").toString()).isEqualTo("[\"CMD\",\"true\"]");
        assertThat(config.path("Interval").asLong()).isEqualTo(200_000_000L);
        assertThat(config.path("Timeout").asLong()).isEqualTo(2_000_000_000L);
        assertThat(config.path("Retries").asInt()).isEqualTo(1);

        berth("run", "-d", "--name", "h2", "hcimg").assertOk();
        assertThat(awaitInspect("h2", "{{.State.Health.Status}}", "healthy"::equals, 15)).isEqualTo("healthy");
        berth("run", "-d", "--name", "h3", "--no-healthcheck", "hcimg").assertOk();
        Thread.sleep(600);
        assertThat(berth("inspect", "--format", "{{json .State}}", "h3").out()).doesNotContain("Health");
        assertThat(berth("inspect", "--format", "{{json .Config.Healthcheck.Test}}", "h3").out()).isEqualTo("[\"NONE\"]");
        assertThat(berth("ps", "--filter", "name=h3", "--format", "{{.Status}}").out()).matches("Up [^(]*");
        assertThat(berth("ps", "--filter", "health=none", "--filter", "name=h3", "--format", "{{.Names}}").out())
                .isEqualTo("h3");
        berth("rm", "-f", "h2", "h3").assertOk();
        berth("rmi", "hcimg").assertOk();
    }

    @Test
    void aProbeThatHangs_timesOut_isKilled_andCountsAsAFailure() throws Exception {
        berth("run", "-d", "--name", "h4", "--health-cmd", "sleep 7", "--health-timeout", "300ms",
                "--health-interval", "300ms", "--health-retries", "1", "busybox", "sleep", "300").assertOk();
        assertThat(awaitInspect("h4", "{{.State.Health.Status}}", "unhealthy"::equals, 15)).isEqualTo("unhealthy");
        JsonNode log = JSON.readTree(berth("inspect", "--format", "{{json .State.Health.Log}}", "h4").out());
        assertThat(log.get(0).path("ExitCode").asInt()).isEqualTo(-1);
        assertThat(log.get(0).path("Output").asText()).isEqualTo("Health check exceeded timeout (300ms)");
        berth("rm", "-f", "h4").assertOk();
        Thread.sleep(500);
        Cli.Result ps = Cli.run(new ProcessBuilder("pgrep", "-f", "^sleep 7$"), null);
        assertThat(ps.out()).as("no probe left running").isEmpty();
    }

    @Test
    void badHealthFlags_getDockersMessages_andDockerCliSeesHealth() throws Exception {
        Cli.Result conflict = berth("run", "--no-healthcheck", "--health-cmd", "true", "busybox", "true");
        assertThat(conflict.exitCode()).isEqualTo(125);
        assertThat(conflict.stderr()).contains("--no-healthcheck conflicts with --health-* options");
        Cli.Result negative = berth("create", "--health-retries", "-1", "busybox", "true");
        assertThat(negative.exitCode()).isEqualTo(125);
        assertThat(negative.stderr()).contains("--health-retries cannot be negative");

        Cli.docker(daemon, "run", "-d", "--name", "h5", "--health-cmd", "true", "--health-interval", "200ms", "busybox",
                "sleep", "300").assertOk();
        assertThat(awaitInspect("h5", "{{.State.Health.Status}}", "healthy"::equals, 15)).isEqualTo("healthy");
        assertThat(Cli.docker(daemon, "ps", "--filter", "health=healthy", "--filter", "name=h5", "--format",
                "{{.Names}} {{.Status}}").assertOk().out())
                .matches("h5 Up .* \\(healthy\\)");
        assertThat(Cli.docker(daemon, "inspect", "-f", "{{.State.Health.Status}} {{.Config.Healthcheck.Test}}", "h5")
                .assertOk().out()).isEqualTo("healthy [CMD-SHELL true]");
        Cli.docker(daemon, "rm", "-f", "h5").assertOk();
        assertThat(berth("ps", "-aq", "--filter", "name=h5").out()).isEmpty();
    }
}
