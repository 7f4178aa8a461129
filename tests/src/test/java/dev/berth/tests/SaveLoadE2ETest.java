package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code save} and {@code load} in Docker's archive format, with berth, the docker CLI and skopeo's docker-archive. */
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
}
