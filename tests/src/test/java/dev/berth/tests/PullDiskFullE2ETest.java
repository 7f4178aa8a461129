package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull that fills the disk: a berthd whose data root is a small tmpfs pulls, from Debian's docker-registry, an image
 * bigger than that tmpfs. Real daemon, real registry; needs root (mount).
 */
@Tag("e2e")
class PullDiskFullE2ETest {
    private static final int RANDOM_FILES = 4;
    private static final int RANDOM_FILE_SIZE = 16 << 20;

    @TempDir
    Path base;

    @Test
    void pull_diskFull_failsInDockersWordsLeavesNoPartialLayerAndSucceedsOnceThereIsRoom() throws Exception {
        Path registryDir = Files.createDirectories(base.resolve("registry"));
        Path dataRoot = Files.createDirectories(base.resolve("daemon").resolve("data"));
        DistributionRegistry.exec(List.of("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", dataRoot.toString()));
        try (DistributionRegistry registry = DistributionRegistry.start(registryDir, null, null)) {
            registry.skopeoCopyIn(registryDir, bigRootfs(), "team/big:v1", RANDOM_FILES, "gzip");
            String ref = registry.host() + "/team/big:v1";
            try (Daemon daemon = new Daemon(base.resolve("daemon")).start()) {
                Cli.Result full = Cli.berth(daemon, "pull", ref);
                assertThat(full.exitCode()).isEqualTo(1);
                assertThat(full.stderr()).containsPattern("failed to register layer: write " + dataRoot
                        + "/\\S+: no space left on device");
                assertThat(Cli.berth(daemon, "ps").assertOk().stdout()).startsWith("CONTAINER ID");
                assertThat(Cli.berth(daemon, "images", "-q", ref).assertOk().stdout()).isEmpty();
                assertNoPartialLayer(dataRoot);
                assertThat(Cli.berth(daemon, "system", "df").assertOk().stdout()).contains("Images");

                DistributionRegistry.exec(List.of("mount", "-o", "remount,size=400m", dataRoot.toString()));
                Cli.Result pulled = Cli.berth(daemon, "pull", ref).assertOk();
                assertThat(pulled.stdout()).contains("Status: Downloaded newer image for " + ref);
                assertThat(Cli.berth(daemon, "run", "--rm", ref, "sh", "-c", "cat /data/* | wc -c").assertOk().out())
                        .isEqualTo(String.valueOf((long) RANDOM_FILES * RANDOM_FILE_SIZE));
            }
        } finally {
            DistributionRegistry.exec(List.of("umount", dataRoot.toString()));
        }
    }

    /** No layer being unpacked left in layers/, and nothing in ingest/ but resumable partial blobs (named by digest). */
    private static void assertNoPartialLayer(Path dataRoot) throws Exception {
        try (Stream<Path> layers = Files.list(dataRoot.resolve("layers"))) {
            assertThat(layers.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("tmp-"));
        }
        try (Stream<Path> ingest = Files.list(dataRoot.resolve("ingest"))) {
            assertThat(ingest.map(p -> p.getFileName().toString())).allMatch(n -> n.matches("[0-9a-f]{64}"));
        }
    }

    /** The busybox root filesystem plus incompressible files under /data, more than the tmpfs holds. */
    private Path bigRootfs() throws Exception {
        Path dir = Files.createDirectories(base.resolve("big").resolve("data"));
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < RANDOM_FILES; i++) {
            try (OutputStream out = Files.newOutputStream(dir.resolve("r" + i))) {
                for (int done = 0; done < RANDOM_FILE_SIZE; done += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        }
        Path tar = base.resolve("big.tar");
        Files.copy(Images.busyboxTar(), tar);
        DistributionRegistry.exec(List.of("tar", "--append", "-f", tar.toString(), "-C", dir.getParent().toString(),
                "data"));
        return tar;
    }
}
