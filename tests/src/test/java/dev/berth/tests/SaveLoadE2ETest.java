package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code save} and {@code load} in Docker's archive format, which since Docker 25 is an OCI image layout too, with
 * berth, the docker CLI and skopeo's docker-archive and oci-archive (needs the {@code skopeo} binary).
 */
class SaveLoadE2ETest extends BusyboxDaemonTest {
    @Test
    void save_thenLoad_givesTheSameRunnableImage() throws Exception {
        Path archive = base.resolve("bb.tar");
        Cli.berth(daemon, "tag", "busybox", "saved:v1").assertOk();
        String id = Cli.berth(daemon, "image", "inspect", "-f", "{{.Id}}", "saved:v1").assertOk().out();
        Cli.berth(daemon, "save", "-o", archive.toString(), "saved:v1").assertOk();
        String entries = DistributionRegistry.exec(List.of("tar", "tf", archive.toString()));
        assertThat(entries).contains("manifest.json", "repositories", "blobs/sha256/" + id.substring(7));
        Cli.berth(daemon, "rmi", "saved:v1").assertOk();
        assertThat(Cli.berth(daemon, "load", "-i", archive.toString()).assertOk().stdout())
                .isEqualTo("Loaded image: saved:v1\n");
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{.Id}}", "saved:v1").assertOk().out()).isEqualTo(id);
        assertThat(Cli.berth(daemon, "run", "--rm", "saved:v1", "echo", "loaded").assertOk().stdout())
                .isEqualTo("loaded\n");
        // the docker CLI's save output, loaded by berth from stdin
        Path viaDocker = base.resolve("docker.tar");
        Cli.docker(daemon, "save", "-o", viaDocker.toString(), "busybox").assertOk();
        assertThat(Cli.berthWithInput(daemon, Files.readAllBytes(viaDocker), "load").assertOk().stdout())
                .isEqualTo("Loaded image: busybox:latest\n");
        assertThat(Cli.berth(daemon, "load", "-i", base.resolve("nosuch.tar").toString()).stderr())
                .contains("no such file or directory");
    }

    @Test
    void load_skopeoDockerArchive() throws Exception {
        Path layout = base.resolve("layout");
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("contrib/oci-layout.py");
        DistributionRegistry.exec(List.of("python3", script.toString(), layout.toString(),
                Images.busyboxTar().toString(), "--layers", "2"));
        Path archive = base.resolve("skopeo.tar");
        DistributionRegistry.exec(List.of("skopeo", "copy", "oci:" + layout + ":latest",
                "docker-archive:" + archive + ":team/skopeo:v1"));
        assertThat(Cli.berth(daemon, "load", "-i", archive.toString()).assertOk().stdout())
                .isEqualTo("Loaded image: team/skopeo:v1\n");
        assertThat(Cli.berth(daemon, "run", "--rm", "team/skopeo:v1", "echo", "skopeo").assertOk().stdout())
                .isEqualTo("skopeo\n");
    }

    @Test
    void save_writesAnArchiveThatIsAlsoAnOciLayout() throws Exception {
        Path archive = base.resolve("oci-too.tar");
        Cli.berth(daemon, "tag", "busybox", "team/both:v3").assertOk();
        String id = Cli.berth(daemon, "image", "inspect", "-f", "{{.Id}}", "team/both:v3").assertOk().out();
        Cli.berth(daemon, "save", "-o", archive.toString(), "team/both:v3").assertOk();
        String entries = DistributionRegistry.exec(List.of("tar", "tf", archive.toString()));
        assertThat(entries).contains("manifest.json", "repositories", "oci-layout", "index.json");
        String index = DistributionRegistry.exec(List.of("tar", "xOf", archive.toString(), "index.json"));
        assertThat(index).contains("\"io.containerd.image.name\":\"docker.io/team/both:v3\"",
                "\"org.opencontainers.image.ref.name\":\"v3\"", "application/vnd.oci.image.manifest.v1+json");
        // skopeo reads it as an OCI layout, by the tag in index.json
        String inspected = DistributionRegistry.exec(List.of("skopeo", "inspect", "--config",
                "oci-archive:" + archive + ":v3"));
        assertThat(inspected).contains("\"diff_ids\"");
        Path copied = base.resolve("from-oci.tar");
        DistributionRegistry.exec(List.of("skopeo", "copy", "oci-archive:" + archive + ":v3",
                "docker-archive:" + copied + ":team/copied:v1"));
        assertThat(Cli.berth(daemon, "load", "-i", copied.toString()).assertOk().stdout())
                .isEqualTo("Loaded image: team/copied:v1\n");
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{.Id}}", "team/copied:v1").assertOk().out())
                .isEqualTo(id);
    }

    @Test
    void load_skopeoOciArchive() throws Exception {
        Path layout = base.resolve("oci-layout");
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("contrib/oci-layout.py");
        DistributionRegistry.exec(List.of("python3", script.toString(), layout.toString(),
                Images.busyboxTar().toString(), "--layers", "2"));
        Path archive = base.resolve("skopeo-oci.tar");
        DistributionRegistry.exec(List.of("skopeo", "copy", "oci:" + layout + ":latest",
                "oci-archive:" + archive + ":team/oci:v2"));
        assertThat(DistributionRegistry.exec(List.of("tar", "tf", archive.toString()))).doesNotContain("manifest.json");
        assertThat(Cli.berth(daemon, "load", "-i", archive.toString()).assertOk().stdout())
                .isEqualTo("Loaded image: team/oci:v2\n");
        assertThat(Cli.berth(daemon, "run", "--rm", "team/oci:v2", "echo", "from oci").assertOk().stdout())
                .isEqualTo("from oci\n");
        // a layout entry named by a bare tag loads untagged, as Docker does
        Path bare = base.resolve("skopeo-bare.tar");
        DistributionRegistry.exec(List.of("skopeo", "copy", "oci:" + layout + ":latest", "oci-archive:" + bare
                + ":latest"));
        assertThat(Cli.berth(daemon, "load", "-i", bare.toString()).assertOk().stdout())
                .matches("Loaded image ID: sha256:[0-9a-f]{64}\n");
    }

    @Test
    void import_fromAnHttpUrl() throws Exception {
        Path rootfs = Images.busyboxTar();
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", ex -> {
            try (ex) {
                if (ex.getRequestURI().getPath().equals("/rootfs.tar")) {
                    ex.sendResponseHeaders(200, Files.size(rootfs));
                    Files.copy(rootfs, ex.getResponseBody());
                } else {
                    byte[] body = "no such file\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(404, body.length);
                    ex.getResponseBody().write(body);
                }
            }
        });
        web.start();
        try {
            String url = "http://127.0.0.1:" + web.getAddress().getPort();
            Cli.Result imported = Cli.berth(daemon, "import", "--change", "CMD [\"sh\"]", url + "/rootfs.tar",
                    "team/fromurl:v1").assertOk();
            assertThat(imported.stdout()).endsWith(Cli.berth(daemon, "image", "inspect", "-f", "{{.Id}}",
                    "team/fromurl:v1").assertOk().out() + "\n");
            assertThat(Cli.berth(daemon, "run", "--rm", "team/fromurl:v1", "echo", "from a url").assertOk().stdout())
                    .isEqualTo("from a url\n");

            Cli.Result missing = Cli.berth(daemon, "import", url + "/missing.tar", "team/missing:v1");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).contains("failed to GET " + url + "/missing.tar with status 404 Not Found");
            assertThat(Cli.berth(daemon, "image", "inspect", "team/missing:v1").exitCode()).isEqualTo(1);
        } finally {
            web.stop(0);
        }
    }
}
