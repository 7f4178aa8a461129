package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pulls from Debian's docker-registry (distribution 2.8) into a real berthd, with berth and with the docker CLI. */
class RegistryPullE2ETest extends BusyboxDaemonTest {
    static DistributionRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(base.resolve("registry"));
        registry = DistributionRegistry.start(dir, null, null);
        registry.skopeoCopyIn(dir, Images.busyboxTar(), "team/bb:v1", 3, "gzip");
        registry.skopeoCopyIn(dir, Images.busyboxTar(), "team/bbz:v1", 2, "zstd");
        registry.skopeoCopyIn(dir, Images.busyboxTar(), "team/bbplain:v1", 2, "none");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void pull_skopeoCopiedImage_runsAndIsUpToDateTheSecondTime() {
        String ref = registry.host() + "/team/bb:v1";
        Cli.Result pulled = Cli.berth(daemon, "pull", ref).assertOk();
        assertThat(pulled.stdout()).startsWith("v1: Pulling from team/bb\n")
                .contains(": Pulling fs layer\n", ": Pull complete\n", "Digest: sha256:",
                        "Status: Downloaded newer image for " + ref + "\n")
                .endsWith(ref + "\n");
        assertThat(Cli.berth(daemon, "run", "--rm", ref, "echo", "pulled").assertOk().stdout()).isEqualTo("pulled\n");
        Cli.Result again = Cli.berth(daemon, "pull", ref).assertOk();
        assertThat(again.stdout()).contains("Status: Image is up to date for " + ref).doesNotContain("Pulling fs layer");
        String digest = pulled.stdout().lines().filter(l -> l.startsWith("Digest: ")).findFirst().orElseThrow()
                .substring("Digest: ".length());
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{json .RepoDigests}}", ref).assertOk().out())
                .isEqualTo("[\"" + registry.host() + "/team/bb@" + digest + "\"]");
        assertThat(Cli.berth(daemon, "images", "--digests", "--format", "{{.Digest}}", registry.host() + "/team/bb")
                .assertOk().out()).isEqualTo(digest);
        assertThat(Cli.berth(daemon, "pull", "-q", registry.host() + "/team/bb@" + digest).assertOk().stdout())
                .isEqualTo(registry.host() + "/team/bb@" + digest + "\n");
        assertThat(Cli.berth(daemon, "rmi", registry.host() + "/team/bb@" + digest).assertOk().stdout())
                .isEqualTo("Untagged: " + registry.host() + "/team/bb@" + digest + "\n");
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{json .RepoDigests}}", ref).assertOk().out())
                .isEqualTo("[]");
    }

    @Test
    void pull_zstdAndUncompressedLayers() {
        for (String repo : new String[] {"team/bbz", "team/bbplain"}) {
            String ref = registry.host() + "/" + repo + ":v1";
            Cli.berth(daemon, "pull", "-q", ref).assertOk();
            assertThat(Cli.berth(daemon, "run", "--rm", ref, "echo", repo).assertOk().stdout()).isEqualTo(repo + "\n");
        }
    }

    @Test
    void run_pullsAMissingImage() {
        String ref = registry.host() + "/team/bb:v1";
        Cli.berth(daemon, "rmi", "-f", ref);
        Cli.Result r = Cli.berth(daemon, "run", "--rm", ref, "echo", "auto").assertOk();
        assertThat(r.stdout()).isEqualTo("auto\n");
        assertThat(r.stderr()).startsWith("Unable to find image '" + ref + "' locally\nv1: Pulling from team/bb\n")
                .contains("Status: Downloaded newer image for " + ref);
    }

    @Test
    void build_pullsAMissingFromImage() {
        String ref = registry.host() + "/team/bbplain:v1";
        Cli.berth(daemon, "rmi", "-f", ref);
        Path context = Contexts.make(base, "from-registry", java.util.Map.of("Dockerfile",
                "FROM " + ref + "\nRUN echo built > /built\n"));
        Cli.berth(daemon, "build", "-t", "from-registry:1", context.toString()).assertOk();
        assertThat(Cli.berth(daemon, "run", "--rm", "from-registry:1", "cat", "/built").assertOk().out()).isEqualTo("built");
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{.Id}}", ref).exitCode()).isZero();
        Cli.Result missing = Cli.berth(daemon, "build", "-t", "x:1", Contexts.make(base, "from-nowhere", java.util.Map.of(
                "Dockerfile", "FROM " + registry.host() + "/team/nothing:v1\n")).toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr() + missing.stdout()).contains("pull access denied for " + registry.host() + "/team/nothing");
    }

    @Test
    void dockerCli_pullsFromTheRegistryThroughBerthd() {
        String ref = registry.host() + "/team/bbz:v1";
        Cli.docker(daemon, "rmi", "-f", ref);
        Cli.Result r = Cli.docker(daemon, "pull", ref).assertOk();
        assertThat(r.stdout()).contains("v1: Pulling from team/bbz", "Status: Downloaded newer image for " + ref)
                .endsWith(ref + "\n");
        assertThat(Cli.docker(daemon, "run", "--rm", ref, "echo", "docker").assertOk().stdout()).isEqualTo("docker\n");
    }

    @Test
    void pull_errorsAreDockers() {
        Cli.Result unknown = Cli.berth(daemon, "pull", registry.host() + "/team/bb:nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("Error response from daemon: manifest for " + registry.host()
                + "/team/bb:nope not found: manifest unknown: manifest unknown");
        Cli.Result refused = Cli.docker(daemon, "pull", "127.0.0.1:1/x");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("Error response from daemon: Get \"http://127.0.0.1:1/v2/\": dial tcp"
                + " 127.0.0.1:1: connect: connection refused");
        assertThat(Cli.berth(daemon, "pull", "Bad/Name").stderr()).contains("invalid reference format");
    }
}
