package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code berth build} and {@code DOCKER_BUILDKIT=0 docker build} against a real berthd: the seeds' Dockerfiles adapted
 * to the offline busybox image, their containers behaving as the seeds describe, and bad input. Needs root.
 */
class BuildE2ETest extends BusyboxDaemonTest {
    @Test
    void flaskLikeDockerfile_buildsWithClassicOutput_andTheImageCarriesItsConfig() throws Exception {
        Path ctx = Contexts.make(base, "flask", Map.of(
                "app.py", "print('Hello Docker !!')\n",
                "requirements.txt", "Flask==2.2.3\n",
                "index.html", "<h1>hi</h1>\n",
                "Dockerfile", String.join("\n",
                        "FROM busybox",
                        "LABEL version=v1.0.0",
                        "LABEL app=xavki-app",
                        "ENV FLASK_APP=app.py",
                        "ENV FLASK_ENV=dev",
                        "WORKDIR /app",
                        "COPY . .",
                        "RUN echo installing $(cat requirements.txt) && wc -l app.py > installed.txt",
                        "COPY index.html .",
                        "EXPOSE 5000",
                        "CMD [\"cat\", \"installed.txt\", \"index.html\"]", "")));
        Cli.Result r = Cli.berth(daemon, "build", "-t", "myimage:v1.0.0", "-t", "myimage:latest", ctx.toString())
                .assertOk();
        assertThat(r.stdout()).startsWith("Sending build context to Docker daemon  ")
                .contains("Step 1/11 : FROM busybox\n ---> ", "Step 6/11 : WORKDIR /app\n",
                        "Step 8/11 : RUN echo installing", " ---> Running in ", "installing Flask==2.2.3\n",
                        "Removing intermediate container ", "Successfully tagged myimage:v1.0.0\n",
                        "Successfully tagged myimage:latest\n")
                .containsPattern("Successfully built [0-9a-f]{12}\n");
        assertThat(Cli.berth(daemon, "run", "--rm", "myimage:v1.0.0").assertOk().stdout())
                .isEqualTo("1 app.py\n<h1>hi</h1>\n");
        assertThat(Cli.berth(daemon, "image", "inspect", "-f",
                "{{.Config.WorkingDir}} {{.Config.Env}} {{.Config.ExposedPorts}} {{.Config.Labels.app}} {{.Config.Cmd}}",
                "myimage:v1.0.0").assertOk().out())
                .isEqualTo("/app [FLASK_APP=app.py FLASK_ENV=dev] map[5000/tcp:{}] xavki-app [cat installed.txt index.html]");
        String history = Cli.berth(daemon, "history", "--no-trunc", "myimage:v1.0.0").assertOk().stdout();
        assertThat(history).contains("/bin/sh -c #(nop)  CMD [\"cat\" \"installed.txt\" \"index.html\"]",
                "/bin/sh -c #(nop)  EXPOSE 5000/tcp", "/bin/sh -c echo installing $(cat requirements.txt)",
                "/bin/sh -c #(nop) WORKDIR /app", "/bin/sh -c #(nop) COPY dir:");
        assertThat(Cli.berth(daemon, "ps", "-aq").out()).isEmpty(); // no build container left
    }

    @Test
    void entrypointPing_withCmdHelp_takesArgumentsFromRun() {
        Path ctx = Contexts.make(base, "ping", Map.of("Dockerfile", "FROM busybox\nENTRYPOINT [\"ping\"]\nCMD [\"--help\"]\n"));
        Cli.berth(daemon, "build", "-t", "myimg:ping", ctx.toString()).assertOk();
        Cli.Result help = Cli.berth(daemon, "run", "--rm", "myimg:ping");
        assertThat(help.stdout() + help.stderr()).contains("Usage: ping");
        assertThat(Cli.berth(daemon, "run", "--rm", "myimg:ping", "-c", "1", "127.0.0.1").assertOk().stdout())
                .contains("1 packets transmitted, 1 packets received");
    }

    @Test
    void entrypointSleep_withCmdInfinity_andShellFormWrapping() {
        Path ctx = Contexts.make(base, "sleep", Map.of("Dockerfile",
                "FROM busybox\nENTRYPOINT [\"sleep\"]\nCMD [\"infinity\"]\n"));
        Cli.berth(daemon, "build", "-t", "myimg:sleep", ctx.toString()).assertOk();
        long start = System.nanoTime();
        Cli.berth(daemon, "run", "--rm", "myimg:sleep", "1").assertOk();
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{.Config.Entrypoint}} {{.Config.Cmd}}", "myimg:sleep")
                .out()).isEqualTo("[sleep] [infinity]");
        Path shell = Contexts.make(base, "shellform", Map.of("Dockerfile", "FROM busybox\nCMD echo \"$HOME\" shell\n"));
        Cli.berth(daemon, "build", "-t", "myimg:shell", shell.toString()).assertOk();
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{json .Config.Cmd}}", "myimg:shell").out())
                .isEqualTo("[\"/bin/sh\",\"-c\",\"echo \\\"$HOME\\\" shell\"]");
        assertThat(Cli.berth(daemon, "run", "--rm", "myimg:shell").assertOk().out()).isEqualTo("/root shell");
    }

    @Test
    void fromScratch_withAStaticBinary_addUnpacksArchives() throws Exception {
        Path ctx = Contexts.make(base, "scratch", Map.of("Dockerfile", String.join("\n",
                "FROM scratch", "COPY busybox /bin/busybox", "ADD files.tar.gz /opt/",
                "ENTRYPOINT [\"/bin/busybox\"]", "CMD [\"cat\", \"/opt/d/f\"]", ""), "src/d/f", "unpacked\n"));
        Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"));
        Cli.run(new ProcessBuilder("tar", "-czf", ctx.resolve("files.tar.gz").toString(), "-C", ctx.resolve("src").toString(),
                "d"), null).assertOk();
        Cli.berth(daemon, "build", "-t", "static:1", ctx.toString()).assertOk();
        assertThat(Cli.berth(daemon, "run", "--rm", "static:1").assertOk().stdout()).isEqualTo("unpacked\n");
        assertThat(Cli.berth(daemon, "history", "-q", "static:1").out().lines().count()).isEqualTo(4);
    }

    @Test
    void addUrl_downloadsTheFile_withMode0600() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/files/notes.txt", ex -> {
            byte[] body = "remote\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
            Path ctx = Contexts.make(base, "addurl", Map.of("Dockerfile", "FROM busybox\nADD " + url + "notes.txt /data/\n"
                    + "CMD [\"stat\", \"-c\", \"%a %n\", \"/data/notes.txt\"]\n"));
            Cli.berth(daemon, "build", "-t", "addurl:1", ctx.toString()).assertOk();
            assertThat(Cli.berth(daemon, "run", "--rm", "addurl:1").assertOk().out()).isEqualTo("600 /data/notes.txt");
            assertThat(Cli.berth(daemon, "run", "--rm", "addurl:1", "cat", "/data/notes.txt").out()).isEqualTo("remote");
            Path missing = Contexts.make(base, "addurl404", Map.of("Dockerfile", "FROM busybox\nADD " + url + "nope /\n"));
            assertThat(Cli.berth(daemon, "build", missing.toString()).stderr())
                    .contains("ADD failed: failed to GET " + url + "nope with status 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void leakedSecret_stayInItsLayer_asHistoryShows() {
        Path ctx = Contexts.make(base, "secret", Map.of("Dockerfile",
                "FROM busybox\nRUN echo \"monsecret\" > toto.txt\nRUN rm toto.txt\n"));
        Cli.berth(daemon, "build", "-t", "leaky:1", ctx.toString()).assertOk();
        String sizes = Cli.berth(daemon, "history", "--format", "{{.Size}}|{{.CreatedBy}}", "leaky:1").assertOk().out();
        assertThat(sizes).contains("10B|/bin/sh -c echo \"monsecret\" > toto.txt", "0B|/bin/sh -c rm toto.txt");
        assertThat(Cli.berth(daemon, "run", "--rm", "leaky:1", "ls", "/toto.txt").exitCode()).isNotZero();
    }

    @Test
    void quiet_iidfile_stdinDockerfile_andDockerignore() throws Exception {
        Path ctx = Contexts.make(base, "ignore", Map.of(
                "keep.txt", "kept\n", "secret.env", "PASSWORD=x\n", "logs/a.log", "log\n", "logs/keep.log", "keep\n",
                ".dockerignore", "*.env\nlogs\n!logs/keep.log\n",
                "Dockerfile", "FROM busybox\nCOPY . /ctx/\nCMD [\"find\", \"/ctx\", \"-type\", \"f\"]\n"));
        Path iid = base.resolve("iid");
        Cli.Result q = Cli.berth(daemon, "build", "-q", "--iidfile", iid.toString(), "-t", "ign:1", ctx.toString()).assertOk();
        assertThat(q.stdout()).matches("sha256:[0-9a-f]{64}\n");
        assertThat(Files.readString(iid)).isEqualTo(q.out());
        String files = Cli.berth(daemon, "run", "--rm", "ign:1").assertOk().stdout();
        assertThat(files).contains("/ctx/keep.txt", "/ctx/logs/keep.log", "/ctx/Dockerfile", "/ctx/.dockerignore")
                .doesNotContain("secret.env", "a.log");
        Cli.Result stdin = Cli.berthWithInput(daemon, "FROM busybox\nLABEL from=stdin\n".getBytes(StandardCharsets.UTF_8),
                "build", "-t", "stdin:1", "-");
        stdin.assertOk();
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{.Config.Labels.from}}", "stdin:1").out()).isEqualTo("stdin");
        Cli.Result dashF = Cli.berthWithInput(daemon, "FROM busybox\nCOPY keep.txt /\n".getBytes(StandardCharsets.UTF_8),
                "build", "-f", "-", "-t", "stdin:2", ctx.toString());
        dashF.assertOk();
        assertThat(Cli.berth(daemon, "run", "--rm", "stdin:2", "cat", "/keep.txt").out()).isEqualTo("kept");
    }

    @Test
    void failingRun_reportsItsExitCode_andLeavesNoContainerBehind() throws Exception {
        Path ctx = Contexts.make(base, "fail", Map.of("Dockerfile", "FROM busybox\nRUN echo before && exit 3\n"));
        Cli.Result r = Cli.berth(daemon, "build", "-t", "fail:1", ctx.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).contains("before\n");
        assertThat(r.stderr()).contains("The command '/bin/sh -c echo before && exit 3' returned a non-zero code: 3");
        assertThat(Cli.berth(daemon, "ps", "-aq").out()).isEmpty();
        assertThat(Cli.berth(daemon, "image", "inspect", "fail:1").exitCode()).isEqualTo(1);
        try (Stream<Path> left = Files.list(daemon.dataRoot.resolve("build"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void badInput_getsDockersErrors() throws Exception {
        Path unknown = Contexts.make(base, "bad1", Map.of("Dockerfile", "FROM busybox\n\nENTRY POINT [\"sleep\"]\n"));
        Cli.Result r = Cli.berth(daemon, "build", unknown.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("Error response from daemon: dockerfile parse error on line 3: unknown instruction: ENTRY");
        Path outside = Contexts.make(base, "bad2", Map.of("Dockerfile", "FROM busybox\nCOPY ../x /\n"));
        assertThat(Cli.berth(daemon, "build", outside.toString()).stderr())
                .contains("COPY failed: forbidden path outside the build context: ../x ()");
        Path missing = Contexts.make(base, "bad3", Map.of("Dockerfile", "FROM busybox\nCOPY nothere.txt /\n"));
        assertThat(Cli.berth(daemon, "build", missing.toString()).stderr()).contains("COPY failed: file not found in"
                + " build context or excluded by .dockerignore: stat nothere.txt: file does not exist");
        Path noImage = Contexts.make(base, "bad4", Map.of("Dockerfile", "FROM python:slim-bullseye\n"));
        assertThat(Cli.berth(daemon, "build", noImage.toString()).stderr())
                .contains("pull access denied for python, repository does not exist");
        Path link = Contexts.make(base, "bad5", Map.of("Dockerfile", "FROM busybox\nCOPY passwd /leak\n"));
        Files.createSymbolicLink(link.resolve("passwd"), Path.of("/etc/passwd"));
        Cli.Result leak = Cli.berth(daemon, "build", link.toString());
        assertThat(leak.exitCode()).isEqualTo(1); // the link resolves inside the context, where nothing is
        assertThat(leak.stderr()).contains("file not found in build context");
        assertThat(Cli.berth(daemon, "build", base.resolve("nope").toString()).stderr())
                .contains("unable to prepare context: path \"" + base.resolve("nope") + "\" not found");
        assertThat(Cli.berth(daemon, "build", "-t", "Bad:Tag", unknown.toString()).stderr())
                .contains("invalid argument \"Bad:Tag\" for \"-t, --tag\" flag: invalid reference format");
        assertThat(Cli.berth(daemon, "ps", "-aq").out()).isEmpty();
    }

    @Test
    void dockerCli_legacyBuilder_buildsAgainstBerthd() throws Exception {
        Path ctx = Contexts.make(base, "docker", Map.of("hello.txt", "from docker\n",
                "Dockerfile", "FROM busybox\nCOPY hello.txt /\nRUN cat /hello.txt\nCMD [\"cat\", \"/hello.txt\"]\n"));
        Path iid = base.resolve("docker-iid");
        Cli.Result r = Cli.docker(daemon, "build", "--iidfile", iid.toString(), "-t", "viadocker:1", ctx.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("Step 3/4 : RUN cat /hello.txt", "from docker\n", "Successfully tagged viadocker:1");
        assertThat(Files.readString(iid)).startsWith("sha256:");
        assertThat(Cli.docker(daemon, "run", "--rm", "viadocker:1").assertOk().stdout()).isEqualTo("from docker\n");
        Path bad = Contexts.make(base, "dockerbad", Map.of("Dockerfile", "FROM busybox\nRUN exit 2\n"));
        Cli.Result fail = Cli.docker(daemon, "build", bad.toString());
        assertThat(fail.exitCode()).isEqualTo(2);
        assertThat(fail.stderr()).contains("The command '/bin/sh -c exit 2' returned a non-zero code: 2");
    }
}
