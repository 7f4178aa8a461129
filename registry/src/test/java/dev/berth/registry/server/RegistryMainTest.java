package dev.berth.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryMainTest {
    @TempDir
    Path root;

    @Test
    void addressesAndDurations() {
        assertThat(RegistryMain.address(":5000").getPort()).isEqualTo(5000);
        assertThat(RegistryMain.address(":5000").getAddress().isAnyLocalAddress()).isTrue();
        assertThat(RegistryMain.address("127.0.0.1:0").getHostString()).isEqualTo("127.0.0.1");
        assertThat(RegistryMain.address("[::1]:5001").getAddress().isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> RegistryMain.address("5000")).hasMessageContaining("missing port");
        assertThatThrownBy(() -> RegistryMain.address(":99999")).hasMessageContaining("invalid port");
        assertThat(RegistryMain.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(RegistryMain.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(RegistryMain.duration("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> RegistryMain.duration("5x")).hasMessageContaining("use s, m, h or d");
    }

    @Test
    void commandsAndErrors() {
        assertThat(run("bogus").code).isEqualTo(1);
        assertThat(run("bogus").err).contains("'bogus' is not a registry command");
        assertThat(run("serve", "--nope").code).isEqualTo(125);
        assertThat(run("serve", "--tls-cert", "x", "--root", root.toString()).err)
                .contains("--tls-cert and --tls-key go together");
        Outcome status = run("status", "--root", root.toString());
        assertThat(status.code).isEqualTo(1);
        assertThat(status.out).startsWith("not running");
        assertThat(run("stop", "--root", root.toString()).err).contains("no registry runs on " + root);
        Outcome gc = run("gc", "--root", root.toString(), "--grace=0s");
        assertThat(gc.code).isZero();
        assertThat(gc.out).isEqualTo("Deleted 0 blobs (0 bytes) and 0 stale uploads; 0 blobs in use\n");
        Outcome noFile = run("serve", "--addr", "127.0.0.1:0", "--root", root.resolve("r").toString(),
                "--htpasswd", root.resolve("missing").toString());
        assertThat(noFile.code).isEqualTo(1);
        assertThat(noFile.err).contains("cannot read htpasswd file " + root.resolve("missing"));
        assertThat(root.resolve("r")).doesNotExist();
        assertThat(run("--help").out).contains("berth registry COMMAND");
    }

    private record Outcome(int code, String out, String err) {}

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RegistryMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
