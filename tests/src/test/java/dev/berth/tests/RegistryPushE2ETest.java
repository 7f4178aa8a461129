package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pushes to Debian's docker-registry (distribution 2.8) behind htpasswd Basic authentication: login, push with berth
 * and with the docker CLI through berthd, skopeo reading what was pushed, and a pull into a second, empty daemon.
 */
class RegistryPushE2ETest extends BusyboxDaemonTest {
    static DistributionRegistry registry;
    static Path dockerConfig;

    @BeforeAll
    static void startRegistry() throws Exception {
        Path dir = Files.createDirectories(base.resolve("registry"));
        registry = DistributionRegistry.start(dir, "alice", "s3cret");
        dockerConfig = Files.createDirectories(base.resolve("docker-config"));
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static Cli.Result berth(String... args) {
        List<String> cmd = new java.util.ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.cli.Main", "-H", daemon.host()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_CONFIG", dockerConfig.toString());
        return Cli.run(pb, null);
    }

    @Test
    void push_needsLogin_thenPullsBackIntoAnEmptyDaemon() throws Exception {
        String ref = registry.host() + "/team/app:v1";
        berth("tag", "busybox", ref).assertOk();
        Cli.Result denied = berth("push", ref);
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.stderr()).contains("no basic auth credentials");

        Cli.Result badLogin = berth("login", "-u", "alice", "-p", "wrong", registry.host());
        assertThat(badLogin.exitCode()).isEqualTo(1);
        assertThat(badLogin.stderr()).contains("login attempt to http://" + registry.host()
                + "/v2/ failed with status: 401 Unauthorized");
        Cli.Result login = berth("login", "-u", "alice", "-p", "s3cret", registry.host()).assertOk();
        assertThat(login.stdout()).isEqualTo("Login Succeeded\n");
        assertThat(login.stderr()).contains("WARNING! Using --password via the CLI is insecure.");
        assertThat(Files.readString(dockerConfig.resolve("config.json"))).contains(registry.host(), "auth");

        Cli.Result pushed = berth("push", ref).assertOk();
        assertThat(pushed.stdout()).startsWith("The push refers to repository [" + ref.replace(":v1", "") + "]\n")
                .contains(": Preparing\n").containsPattern("v1: digest: sha256:[0-9a-f]{64} size: \\d+\n")
                // another test may have pushed busybox to another repository of this registry first
                .containsPattern(": (Pushed|Mounted from mount/\\w+)\n");
        String digest = pushed.stdout().replaceAll("(?s).*v1: digest: (sha256:[0-9a-f]{64}).*", "$1");
        Cli.Result again = berth("push", ref).assertOk();
        assertThat(again.stdout()).contains(": Layer already exists\n", "v1: digest: " + digest);

        String inspected = DistributionRegistry.exec(List.of("skopeo", "inspect", "--tls-verify=false",
                "--creds=alice:s3cret", "docker://" + ref));
        assertThat(inspected).contains("\"Digest\": \"" + digest + "\"");

        try (Daemon fresh = new Daemon(Files.createDirectories(base.resolve("fresh"))).start()) {
            List<String> cmd = new java.util.ArrayList<>(Java.command());
            cmd.addAll(List.of("dev.berth.cli.Main", "-H", fresh.host(), "run", "--rm", ref, "echo", "from registry"));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("DOCKER_CONFIG", dockerConfig.toString());
            assertThat(Cli.run(pb, null).assertOk().stdout()).isEqualTo("from registry\n");
        }

        assertThat(berth("logout", registry.host()).assertOk().stdout())
                .isEqualTo("Removing login credentials for " + registry.host() + "\n");
        assertThat(berth("logout", registry.host()).assertOk().stdout())
                .isEqualTo("Not logged in to " + registry.host() + "\n");
    }

    @Test
    void dockerCli_loginAndPushThroughBerthd() throws Exception {
        String ref = registry.host() + "/team/docker:v2";
        Cli.docker(daemon, "tag", "busybox", ref).assertOk();
        Cli.docker(daemon, "login", "-u", "alice", "-p", "s3cret", registry.host()).assertOk();
        try {
            Cli.Result pushed = Cli.docker(daemon, "push", ref).assertOk();
            assertThat(pushed.stdout()).contains("The push refers to repository [" + registry.host() + "/team/docker]")
                    .containsPattern("v2: digest: sha256:[0-9a-f]{64} size: \\d+");
            Cli.docker(daemon, "rmi", ref).assertOk();
            assertThat(Cli.docker(daemon, "pull", ref).assertOk().stdout())
                    .contains("Status: Downloaded newer image for " + ref);
        } finally {
            Cli.docker(daemon, "logout", registry.host());
        }
    }

    @Test
    void push_mountsLayersFromAnotherRepositoryOfTheRegistry() throws Exception {
        berth("login", "-u", "alice", "-p", "s3cret", registry.host()).assertOk();
        try {
            String first = registry.host() + "/mount/source:v1";
            String second = registry.host() + "/mount/target:v1";
            // a layer of its own, which no other test has pushed
            berth("run", "--name", "mount-src", "busybox", "sh", "-c", "echo own > /own").assertOk();
            berth("commit", "mount-src", first).assertOk();
            berth("rm", "mount-src").assertOk();
            berth("tag", first, second).assertOk();
            assertThat(berth("push", first).assertOk().stdout()).contains(": Pushed\n");
            Cli.Result mounted = berth("push", second).assertOk();
            assertThat(mounted.stdout()).contains(": Mounted from mount/source\n").doesNotContain(": Pushed\n");
            // what was mounted is there: a fresh daemon pulls it from the target repository
            try (Daemon fresh = new Daemon(Files.createDirectories(base.resolve("fresh-mount"))).start()) {
                List<String> cmd = new java.util.ArrayList<>(Java.command());
                cmd.addAll(List.of("dev.berth.cli.Main", "-H", fresh.host(), "run", "--rm", second, "echo", "mounted"));
                ProcessBuilder pb = new ProcessBuilder(cmd);
                pb.environment().put("DOCKER_CONFIG", dockerConfig.toString());
                assertThat(Cli.run(pb, null).assertOk().stdout()).isEqualTo("mounted\n");
            }
        } finally {
            berth("logout", registry.host());
        }
    }
}
