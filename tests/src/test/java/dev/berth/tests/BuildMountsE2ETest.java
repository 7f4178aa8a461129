package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * {@code RUN --mount} (secret, cache, bind), {@code --secret}, {@code --pull}, {@code --platform} and a context
 * fetched by the daemon from a URL, against a real berthd, with real runc build containers. Needs root.
 */
class BuildMountsE2ETest extends BusyboxDaemonTest {

    /** The berth CLI with extra environment variables. */
    private static Cli.Result berthEnv(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.addAll(List.of("dev.berth.cli.Main", "-H", daemon.host()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return Cli.run(pb, null);
    }

    private static String run(String image, String script) {
        return Cli.berth(daemon, "run", "--rm", image, "sh", "-c", script).assertOk().out();
    }

    @Test
    void secret_isVisibleOnlyDuringItsRun_andInNoLayerHistoryOrCache() throws Exception {
        String value = "s3cr3t-" + UUID.randomUUID();
        String envValue = "env-" + UUID.randomUUID();
        Path ctx = Contexts.make(base, "secret", Map.of("Dockerfile", """
                FROM busybox
                RUN --mount=type=secret,id=mysecret test "$(sha256sum < /run/secrets/mysecret)" = "$EXPECTED  -" \\
                    && stat -c '%a %u %g' /run/secrets/mysecret > /mode \\
                    && (echo x > /run/secrets/mysecret 2>/dev/null && echo writable || echo readonly) > /ro
                RUN --mount=type=secret,id=mysecret,target=/etc/app/token,required=true,mode=0440,uid=1000 \\
                    wc -c < /etc/app/token > /len && stat -c '%a %u' /etc/app/token > /mode2
                RUN --mount=type=secret,id=envsecret,env=TOKEN test "$(echo -n "$TOKEN" | sha256sum)" = "$EXPECTED_ENV  -" \\
                    && test ! -e /run/secrets/envsecret && echo ok > /envok
                RUN test ! -e /run/secrets/mysecret && test -z "$TOKEN" && echo gone > /after
                """.replace("$EXPECTED_ENV", sha256(envValue)).replace("$EXPECTED", sha256(value))));
        Path secretFile = Files.writeString(base.resolve("secret.txt"), value);

        Cli.Result built = berthEnv(Map.of("MY_TOKEN", envValue), "build", "-t", "secret:1",
                "--secret", "id=mysecret,src=" + secretFile, "--secret", "id=envsecret,env=MY_TOKEN", ctx.toString())
                .assertOk();
        assertThat(built.stdout()).doesNotContain(value, envValue);
        assertThat(run("secret:1", "cat /mode /ro /len /mode2 /envok /after"))
                .isEqualTo("400 0 0\nreadonly\n" + value.length() + "\n440 1000\nok\ngone");
        // no mount point left behind either
        assertThat(run("secret:1", "ls -a /run 2>&1; test -e /etc/app && echo app; true")).doesNotContain("secrets", "app");

        Path saved = base.resolve("secret-save.tar");
        Cli.berth(daemon, "save", "-o", saved.toString(), "secret:1").assertOk();
        assertThat(archiveContains(saved, value)).as("a layer or config of the saved image holds the secret").isFalse();
        assertThat(archiveContains(saved, envValue)).isFalse();
        assertThat(Cli.berth(daemon, "history", "--no-trunc", "secret:1").assertOk().stdout())
                .contains("/bin/sh -c test \"$(sha256sum < /run/secrets/mysecret)\"").doesNotContain("--mount");
        assertThat(Cli.berth(daemon, "image", "inspect", "secret:1").assertOk().stdout()).doesNotContain(value, envValue);
        // the build cache, step records and logs live in the data root: the value is nowhere in it
        assertThat(treeContains(daemon.dataRoot, value)).as("the data root holds the secret").isFalse();
        assertThat(treeContains(daemon.dataRoot, envValue)).isFalse();
        assertThat(Files.readString(daemon.log)).doesNotContain(value, envValue);

        // another value for the same secret does not change the cache key
        Path other = Files.writeString(base.resolve("other.txt"), "other-" + value);
        Cli.Result again = berthEnv(Map.of("MY_TOKEN", envValue), "build", "-t", "secret:2",
                "--secret", "id=mysecret,src=" + other, "--secret", "id=envsecret,env=MY_TOKEN", ctx.toString())
                .assertOk();
        assertThat(again.stdout().split("Using cache", -1).length - 1).isEqualTo(4);
    }

    @Test
    void missingSecrets_failWhenRequired_andAreLeftOutOtherwise() throws Exception {
        Path required = Contexts.make(base, "secret-required", Map.of("Dockerfile",
                "FROM busybox\nRUN --mount=type=secret,id=nope,required=true true\n"));
        Cli.Result failed = Cli.berth(daemon, "build", required.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).contains("secret nope: not found");

        Path optional = Contexts.make(base, "secret-optional", Map.of("Dockerfile",
                "FROM busybox\nRUN --mount=type=secret,id=nope test ! -e /run/secrets/nope && echo absent > /r\n"));
        Cli.berth(daemon, "build", "-t", "secret:opt", optional.toString()).assertOk();
        assertThat(run("secret:opt", "cat /r")).isEqualTo("absent");

        Path bad = Contexts.make(base, "mount-bad", Map.of("Dockerfile",
                "FROM busybox\nRUN --mount=type=sekret,id=x true\n"));
        assertThat(Cli.berth(daemon, "build", bad.toString()).stderr())
                .contains("dockerfile parse error on line 2: unsupported mount type \"sekret\"");
        Path badKey = Contexts.make(base, "mount-badkey", Map.of("Dockerfile",
                "FROM busybox\nRUN --mount=type=cache,target=/c,colour=red true\n"));
        assertThat(Cli.berth(daemon, "build", badKey.toString()).stderr())
                .contains("unexpected key 'colour' in 'colour=red'");

        Cli.Result noFile = Cli.berth(daemon, "build", "--secret", "id=x,src=" + base.resolve("absent"),
                required.toString());
        assertThat(noFile.exitCode()).isEqualTo(1);
        assertThat(noFile.stderr()).contains("could not parse secrets: [id=x,src=" + base.resolve("absent") + "]");
    }

    @Test
    void cacheMount_keepsItsContentAcrossBuilds_outOfTheLayer_untilBuilderPrune() throws Exception {
        Path ctx = Contexts.make(base, "cachemount", Map.of("Dockerfile", """
                FROM busybox
                ARG N
                RUN --mount=type=cache,target=/root/.cache echo $N >> /root/.cache/log && cp /root/.cache/log /log
                RUN --mount=type=cache,id=owned,target=/owned,uid=1000,gid=1000,mode=0700 stat -c '%u %g %a' /owned > /owned.stat
                """));
        Cli.berth(daemon, "build", "--build-arg", "N=1", "-t", "cm:1", ctx.toString()).assertOk();
        Cli.berth(daemon, "build", "--build-arg", "N=2", "-t", "cm:2", ctx.toString()).assertOk();
        assertThat(run("cm:1", "cat /log")).isEqualTo("1");
        assertThat(run("cm:2", "cat /log")).isEqualTo("1\n2"); // the second build found what the first wrote
        assertThat(run("cm:2", "cat /owned.stat; test -e /root/.cache && echo present || echo absent; test -e /owned"
                + " && echo owned-present || true")).isEqualTo("1000 1000 700\nabsent");

        // the same id under another target is the same directory
        Path byId = Contexts.make(base, "cachemount-id", Map.of("Dockerfile",
                "FROM busybox\nRUN --mount=type=cache,id=/root/.cache,target=/elsewhere,ro cat /elsewhere/log > /seen\n"));
        Cli.berth(daemon, "build", "-t", "cm:id", byId.toString()).assertOk();
        assertThat(run("cm:id", "cat /seen")).isEqualTo("1\n2");

        Cli.Result pruned = Cli.berth(daemon, "builder", "prune", "-f").assertOk();
        assertThat(pruned.stdout()).startsWith("Deleted build cache objects:\n").contains("Total reclaimed space: ");
        Cli.berth(daemon, "build", "--build-arg", "N=3", "-t", "cm:3", ctx.toString()).assertOk();
        assertThat(run("cm:3", "cat /log")).isEqualTo("3");
        assertThat(Cli.berth(daemon, "builder", "prune", "-f").assertOk().stdout()).contains("Deleted build cache objects:");
        assertThat(Cli.berth(daemon, "builder", "prune", "-f").assertOk().out()).isEqualTo("Total reclaimed space: 0B");
    }

    @Test
    void cacheMounts_areTheBuildCacheOfDf_andBuilderPruneHonoursUntilAndKeepStorage() throws Exception {
        Cli.berth(daemon, "builder", "prune", "-f").assertOk(); // what other tests left
        Path ctx = Contexts.make(base, "cachedf", Map.of("Dockerfile", """
                FROM busybox
                RUN --mount=type=cache,id=big,target=/big dd if=/dev/zero of=/big/blob bs=1000 count=300
                RUN --mount=type=cache,id=small,target=/small dd if=/dev/zero of=/small/blob bs=1000 count=100
                """));
        Cli.berth(daemon, "build", "-t", "cachedf", ctx.toString()).assertOk();
        String big = sha256Hex("big");
        String small = sha256Hex("small");

        for (Cli.Result df : List.of(Cli.berth(daemon, "system", "df"), Cli.docker(daemon, "system", "df"))) {
            String row = df.assertOk().stdout().lines().filter(l -> l.startsWith("Build Cache ")).findFirst().orElseThrow();
            assertThat(row.split(" {2,}")).containsExactly("Build Cache", "2", "0", "400kB", "400kB");
        }
        String verbose = Cli.docker(daemon, "system", "df", "-v").assertOk().stdout();
        assertThat(verbose).contains("Build cache usage: 400kB");
        assertThat(verbose.lines().filter(l -> l.startsWith(big.substring(0, 12)))).singleElement().asString()
                .matches(big.substring(0, 12) + " +exec\\.cachemount +300kB +\\S.* ago +\\S.* ago +1 +false");
        String relative = "(\\d+|About an?|Less than a) (seconds?|minutes?|hours?)( ago)?";
        assertThat(Cli.berth(daemon, "system", "df", "-v").assertOk().stdout().replaceAll(relative, "T").replaceAll(" +", " "))
                .isEqualTo(verbose.replaceAll(relative, "T").replaceAll(" +", " "));
        Api.Reply api = Api.call(daemon, "GET", "/system/df?type=build-cache", null);
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.body()).contains("{\"ID\":\"" + small + "\",\"Type\":\"exec.cachemount\",\"Description\":"
                + "\"cached mount\",\"InUse\":false,\"Shared\":false,\"Size\":100000,\"CreatedAt\":\"");

        Cli.Result badFilter = Cli.docker(daemon, "builder", "prune", "-f", "--filter", "colour=red");
        assertThat(badFilter.exitCode()).isEqualTo(1);
        assertThat(badFilter.stderr()).endsWith("\nError response from daemon: invalid filter 'colour'\n");
        Cli.Result berthBadFilter = Cli.berth(daemon, "builder", "prune", "-f", "--filter", "colour=red");
        assertThat(berthBadFilter.exitCode()).isEqualTo(1);
        assertThat(berthBadFilter.stderr()).isEqualTo("Error response from daemon: invalid filter 'colour'\n");
        // used within the last day: kept
        assertThat(Cli.docker(daemon, "builder", "prune", "-f", "--filter", "until=24h").assertOk().stdout())
                .isEqualTo("Total reclaimed space: 0B\n");
        // the least recently used goes first, until what is left fits
        assertThat(Cli.berth(daemon, "builder", "prune", "-a", "-f", "--keep-storage", "200k").assertOk().stdout())
                .isEqualTo("Deleted build cache objects:\n" + big + "\n\nTotal reclaimed space: 300kB\n");
        assertThat(Cli.docker(daemon, "system", "df").assertOk().stdout()).containsPattern("Build Cache +1 +0 +100kB +100kB");
        assertThat(Cli.docker(daemon, "builder", "prune", "-f").assertOk().stdout())
                .isEqualTo("Deleted build cache objects:\n" + small + "\n\nTotal reclaimed space: 100kB\n");
        Api.Reply none = Api.call(daemon, "POST", "/build/prune", null);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body().strip()).isEqualTo("{\"CachesDeleted\":[],\"SpaceReclaimed\":0}");
    }

    private static String sha256Hex(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bindMount_ofTheContextAndOfAStage_isReadOnlyByDefault_andInTheCacheKey() throws Exception {
        Path ctx = Contexts.make(base, "bindmount", Map.of("data/hello.txt", "hello from the context\n", "Dockerfile", """
                FROM busybox AS gen
                RUN echo generated > /gen.txt
                FROM busybox
                RUN --mount=type=bind,source=data,target=/ctxmnt cat /ctxmnt/hello.txt > /copied \\
                    && (touch /ctxmnt/x 2>/dev/null && echo rw || echo ro) > /robind
                RUN --mount=type=bind,from=gen,source=/gen.txt,target=/g.txt cat /g.txt > /fromstage
                RUN --mount=type=bind,source=data,target=/wdir,rw touch /wdir/new && ls /wdir > /rwls
                """));
        Cli.berth(daemon, "build", "-t", "bind:1", ctx.toString()).assertOk();
        assertThat(run("bind:1", "cat /copied /robind /fromstage /rwls; ls / | grep -c -e '^ctxmnt$' -e '^wdir$' -e '^g.txt$'"
                + " || true")).isEqualTo("hello from the context\nro\ngenerated\nhello.txt\nnew\n0");
        assertThat(ctx.resolve("data/new")).doesNotExist();

        Cli.Result same = Cli.berth(daemon, "build", "-t", "bind:1", ctx.toString()).assertOk();
        assertThat(same.stdout()).doesNotContain("Running in");
        Files.writeString(ctx.resolve("data/hello.txt"), "changed\n");
        Cli.berth(daemon, "build", "-t", "bind:2", ctx.toString()).assertOk();
        assertThat(run("bind:2", "cat /copied")).isEqualTo("changed");

        Path missing = Contexts.make(base, "bind-missing", Map.of("Dockerfile",
                "FROM busybox\nRUN --mount=type=bind,source=nothere,target=/x true\n"));
        assertThat(Cli.berth(daemon, "build", missing.toString()).stderr()).contains("\"/nothere\": not found");
    }

    @Test
    void pull_fetchesTheBaseAgain_evenWhenItIsLocal() throws Exception {
        Path dir = Files.createDirectories(base.resolve("registry"));
        try (DistributionRegistry registry = DistributionRegistry.start(dir, null, null)) {
            String ref = registry.host() + "/pulled/base:1";
            Path marked = Contexts.make(base, "pull-marked", Map.of("Dockerfile",
                    "FROM busybox\nRUN echo from-the-registry > /version\n"));
            Cli.berth(daemon, "build", "-t", ref, marked.toString()).assertOk();
            Cli.berth(daemon, "push", ref).assertOk();
            Cli.berth(daemon, "tag", "busybox", ref).assertOk(); // the local tag no longer has /version

            Path ctx = Contexts.make(base, "pull", Map.of("Dockerfile", "FROM " + ref + "\nRUN cat /version > /seen\n"));
            Cli.Result stale = Cli.berth(daemon, "build", ctx.toString());
            assertThat(stale.exitCode()).isEqualTo(1);
            assertThat(stale.stderr()).contains("returned a non-zero code: 1");
            Cli.berth(daemon, "build", "--pull", "-t", "pulled:1", ctx.toString()).assertOk();
            assertThat(run("pulled:1", "cat /seen")).isEqualTo("from-the-registry");

            Cli.berth(daemon, "tag", "busybox", "127.0.0.1:1/nowhere:1").assertOk();
            Path gone = Contexts.make(base, "pull-gone", Map.of("Dockerfile", "FROM 127.0.0.1:1/nowhere:1\n"));
            Cli.berth(daemon, "build", gone.toString()).assertOk();
            assertThat(Cli.berth(daemon, "build", "--pull", gone.toString()).stderr())
                    .contains("pull access denied for 127.0.0.1:1/nowhere");
        }
    }

    @Test
    void platform_amd64IsAccepted_othersNeedAnImageOfTheirs_andBuildPlatformArgsAreSet() {
        Path ctx = Contexts.make(base, "platform", Map.of("Dockerfile", """
                FROM --platform=$BUILDPLATFORM busybox
                ARG TARGETPLATFORM
                ARG TARGETARCH
                RUN echo $TARGETPLATFORM $TARGETARCH > /p
                """));
        Cli.berth(daemon, "build", "--platform", "linux/amd64", "-t", "plat:1", ctx.toString()).assertOk();
        assertThat(run("plat:1", "cat /p")).isEqualTo("linux/amd64 amd64");
        Cli.berth(daemon, "build", "-t", "plat:2", ctx.toString()).assertOk();

        Path plain = Contexts.make(base, "platform-plain", Map.of("Dockerfile", "FROM busybox\n"));
        Cli.Result arm = Cli.berth(daemon, "build", "--platform", "linux/arm64", plain.toString());
        assertThat(arm.exitCode()).isEqualTo(1);
        assertThat(arm.stderr()).contains("image with reference busybox was found but does not match the specified"
                + " platform: wanted linux/arm64, actual: linux/amd64");
        assertThat(Cli.berth(daemon, "build", "--platform", "linux//x", plain.toString()).stderr())
                .contains("invalid platform specifier \"linux//x\"");
    }

    @Test
    void remoteContext_isFetchedByTheDaemon_asATarOrADockerfile() throws Exception {
        Path ctx = Contexts.make(base, "remote", Map.of("msg.txt", "from a remote tar\n",
                "Dockerfile", "FROM busybox\nCOPY msg.txt /\n"));
        Path tar = base.resolve("ctx.tar");
        Process p = new ProcessBuilder("tar", "-C", ctx.toString(), "-cf", tar.toString(), ".").inheritIO().start();
        assertThat(p.waitFor()).isZero();
        byte[] tarBytes = Files.readAllBytes(tar);
        byte[] dockerfile = "FROM busybox\nRUN echo only-a-dockerfile > /r\n".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = switch (exchange.getRequestURI().getPath()) {
                case "/ctx.tar" -> tarBytes;
                case "/Dockerfile" -> dockerfile;
                default -> null;
            };
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Cli.berth(daemon, "build", "-t", "remote:1", url + "/ctx.tar").assertOk();
            assertThat(run("remote:1", "cat /msg.txt")).isEqualTo("from a remote tar");
            Cli.berth(daemon, "build", "-t", "remote:2", url + "/Dockerfile").assertOk();
            assertThat(run("remote:2", "cat /r")).isEqualTo("only-a-dockerfile");
            Cli.Result missing = Cli.berth(daemon, "build", url + "/missing.tar");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).contains("error downloading remote context " + url + "/missing.tar: failed to GET "
                    + url + "/missing.tar with status 404 Not Found");
        } finally {
            server.stop(0);
        }
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code text} is in the archive: any member, gzip members unpacked, nested tars read through. */
    private static boolean archiveContains(Path archive, String text) throws Exception {
        Path dir = Files.createTempDirectory(base, "unpacked-");
        Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-xf", archive.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return treeContains(dir, text);
    }

    /** Whether {@code text} is in any regular file under {@code root} (gzip files unpacked). */
    private static boolean treeContains(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (IOException e) {
                    continue; // a socket or a file removed meanwhile
                }
                if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        in.transferTo(out);
                        bytes = out.toByteArray();
                    } catch (IOException e) {
                        // not gzip after all: searched as it is
                    }
                }
                if (indexOf(bytes, needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
