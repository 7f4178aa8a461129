package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * berthd against Berth's own registry server (run as {@code berth registry serve} on loopback, which keeps uploads
 * across requests and answers upload status): {@code search} through its {@code /v1/search}, with berth and the docker
 * CLI, and a push that resumes after the daemon was killed in the middle of a layer.
 */
class BerthRegistryE2ETest extends BusyboxDaemonTest {
    static Process server;
    static Path root;
    static Path serveLog;
    static String host;

    @BeforeAll
    static void startRegistry() throws Exception {
        root = Files.createDirectories(base.resolve("registry"));
        serveLog = base.resolve("serve.log");
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.registry.server.RegistryMain", "serve", "--addr", "127.0.0.1:0", "--root",
                root.toString()));
        server = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(serveLog.toFile())).start();
        Path pid = root.resolve("registry.pid");
        for (int i = 0; i < 400 && host == null; i++) {
            if (Files.exists(pid) && Files.readAllLines(pid).size() > 1) {
                host = Files.readAllLines(pid).get(1);
            } else {
                Thread.sleep(50);
            }
        }
        assertThat(host).as("registry start: " + Files.readString(serveLog)).isNotNull();
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        server.destroy();
        server.waitFor();
    }

    @Test
    void search_findsRepositoriesOfTheRegistry() {
        Cli.berth(daemon, "tag", "busybox", host + "/team/app:v1").assertOk();
        Cli.berth(daemon, "tag", "busybox", host + "/team/other:v1").assertOk();
        Cli.berth(daemon, "push", host + "/team/app:v1").assertOk();
        Cli.berth(daemon, "push", host + "/team/other:v1").assertOk();

        List<String> table = Cli.berth(daemon, "search", host + "/app").assertOk().stdout().lines().toList();
        assertThat(table).hasSize(2);
        assertThat(table.get(0)).matches("NAME +DESCRIPTION +STARS +OFFICIAL");
        assertThat(table.get(1)).matches("team/app +0 *");
        assertThat(Cli.berth(daemon, "search", "--format", "{{.Name}}: {{.StarCount}} [{{.IsOfficial}}]",
                host + "/team").assertOk().stdout()).isEqualTo("team/app: 0 []\nteam/other: 0 []\n");
        assertThat(Cli.berth(daemon, "search", "--limit", "1", "--format", "{{.Name}}", host + "/team").assertOk()
                .stdout()).isEqualTo("team/app\n");
        assertThat(Cli.berth(daemon, "search", "--filter", "stars=1", "--format", "{{.Name}}", host + "/team")
                .assertOk().stdout()).isEmpty();
        assertThat(Cli.berth(daemon, "search", "--filter", "is-official=false", "--format", "{{.Name}}",
                host + "/other").assertOk().stdout()).isEqualTo("team/other\n");

        Cli.Result badLimit = Cli.berth(daemon, "search", "--limit", "101", host + "/team");
        assertThat(badLimit.exitCode()).isEqualTo(1);
        assertThat(badLimit.stderr()).contains("limit 101 is outside the range of [1, 100]");
        Cli.Result badFilter = Cli.berth(daemon, "search", "--filter", "color=red", host + "/team");
        assertThat(badFilter.exitCode()).isEqualTo(1);
        assertThat(badFilter.stderr()).contains("invalid filter 'color'");

        // the docker CLI through berthd: the same API
        assertThat(Cli.docker(daemon, "search", "--format", "{{.Name}}", host + "/other").assertOk().stdout())
                .isEqualTo("team/other\n");
    }

    @Test
    void push_afterTheDaemonWasKilledMidLayer_resumesTheUpload() throws Exception {
        String ref = host + "/team/big:v1";
        Cli.berth(daemon, "run", "--name", "big", "busybox", "sh", "-c",
                "head -c 100000000 /dev/urandom > /big").assertOk();
        Cli.berth(daemon, "commit", "big", ref).assertOk();
        Cli.berth(daemon, "rm", "big").assertOk();

        List<String> cmd = new ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.cli.Main", "-H", daemon.host(), "push", ref));
        Process push = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long written = 0;
        for (int i = 0; i < 12_000 && written == 0; i++) { // up to 60 s: the layer is compressed first
            written = uploadedBytes();
            if (written == 0) {
                Thread.sleep(5);
            }
        }
        daemon.kill9();
        push.waitFor();
        assertThat(written).as("bytes the registry had when the daemon was killed").isPositive();
        long left = uploadedBytes();
        assertThat(left).as("an upload left open").isPositive().isLessThan(100_000_000);

        daemon.start();
        Cli.Result resumed = Cli.berth(daemon, "push", ref).assertOk();
        assertThat(resumed.stdout()).contains(": Pushed\n").containsPattern("v1: digest: sha256:[0-9a-f]{64}");
        // the push asked the registry where the upload stood, and went on from there
        assertThat(Files.readString(serveLog)).containsPattern("\"GET /v2/team/big/blobs/uploads/[^\" ]+\" 204");
        Cli.berth(daemon, "rmi", ref).assertOk();
        assertThat(Cli.berth(daemon, "run", "--rm", ref, "sh", "-c", "wc -c < /big").assertOk().stdout())
                .isEqualTo("100000000\n");
    }

    /** The bytes of the largest upload the registry holds open. */
    private static long uploadedBytes() throws Exception {
        Path uploads = root.resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        long max = 0;
        try (Stream<Path> s = Files.list(uploads)) {
            for (Path u : s.toList()) {
                try {
                    max = Math.max(max, Files.size(u.resolve("data")));
                } catch (java.io.IOException gone) {
                    // completed meanwhile
                }
            }
        }
        return max;
    }
}
