package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ContainerFlagsTest {
    private static ObjectNode body(boolean detach, String... args) {
        RunCommand run = new RunCommand(null);
        new CommandLine(run).setStopAtPositional(true).parseArgs(args);
        return run.flags.body(JsonNodeFactory.instance, run.args.get(0), run.args.subList(1, run.args.size()), detach,
                Map.of("HOME_DIR", "/home/me"), new int[] {24, 80});
    }

    @Test
    void interactiveRun_attachesStdinOnce() {
        ObjectNode body = body(false, "-i", "-t", "busybox", "sh");
        assertThat(body.get("AttachStdin").asBoolean()).isTrue();
        assertThat(body.get("OpenStdin").asBoolean()).isTrue();
        assertThat(body.get("StdinOnce").asBoolean()).isTrue();
        assertThat(body.get("Tty").asBoolean()).isTrue();
        assertThat(body.get("Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(body.at("/HostConfig/ConsoleSize").toString()).isEqualTo("[24,80]");
    }

    @Test
    void detachedRun_keepsStdinOpenButUnattached() {
        ObjectNode body = body(true, "-i", "busybox");
        assertThat(body.get("AttachStdin").asBoolean()).isFalse();
        assertThat(body.get("AttachStdout").asBoolean()).isFalse();
        assertThat(body.get("OpenStdin").asBoolean()).isTrue();
        assertThat(body.get("StdinOnce").asBoolean()).isFalse();
        assertThat(body.get("Cmd").isNull()).isTrue();
    }

    @Test
    void resourceAndIdentityFlags_fillConfigAndHostConfig() {
        ObjectNode body = body(false, "--rm", "--name", "web", "-e", "A=1", "-e", "HOME_DIR", "-e", "UNSET", "-w",
                "/srv", "-u", "1000:1000", "--hostname", "h1", "--network", "none", "-m", "512m", "--cpus", "1.5",
                "--pids-limit", "64", "--runtime", "crun", "--entrypoint", "", "-l", "a=b", "--label", "flag",
                "--restart", "on-failure:3", "--init", "busybox", "true");
        assertThat(body.get("Env").toString()).isEqualTo("[\"A=1\",\"HOME_DIR=/home/me\",\"UNSET\"]");
        assertThat(body.get("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(body.get("User").asText()).isEqualTo("1000:1000");
        assertThat(body.get("Hostname").asText()).isEqualTo("h1");
        assertThat(body.get("Entrypoint").toString()).isEqualTo("[\"\"]");
        assertThat(body.get("Labels").toString()).isEqualTo("{\"a\":\"b\",\"flag\":\"\"}");
        ObjectNode host = (ObjectNode) body.get("HostConfig");
        assertThat(host.get("AutoRemove").asBoolean()).isTrue();
        assertThat(host.get("NetworkMode").asText()).isEqualTo("none");
        assertThat(host.get("Memory").asLong()).isEqualTo(512L * 1024 * 1024);
        assertThat(host.get("NanoCpus").asLong()).isEqualTo(1_500_000_000L);
        assertThat(host.get("PidsLimit").asLong()).isEqualTo(64);
        assertThat(host.get("Runtime").asText()).isEqualTo("crun");
        assertThat(host.get("Init").asBoolean()).isTrue();
        assertThat(host.get("RestartPolicy").toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}");
    }

    @Test
    void defaults_matchDockersEmptyRun() {
        ObjectNode body = body(false, "busybox");
        assertThat(body.at("/HostConfig/NetworkMode").asText()).isEqualTo("default");
        assertThat(body.at("/HostConfig/RestartPolicy/Name").asText()).isEqualTo("no");
        assertThat(body.at("/HostConfig").has("PidsLimit")).isFalse();
        assertThat(body.get("Entrypoint").isNull()).isTrue();
        assertThat(body.get("Env")).isEmpty();
        assertThat(List.of(body.get("Image").asText())).containsExactly("busybox");
    }
}
