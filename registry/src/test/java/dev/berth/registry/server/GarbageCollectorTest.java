package dev.berth.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online garbage collection: what it deletes, what it keeps, and pushes running while it runs. */
class GarbageCollectorTest {
    @TempDir
    Path root;

    RegistryServer server;
    RegistryClientForTests c;

    @BeforeEach
    void start() throws Exception {
        server = RegistryServer.start(RegistryServerTest.options(root));
        c = new RegistryClientForTests("http://127.0.0.1:" + server.port(), null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void age(Digest d, Duration by) throws Exception {
        Files.setLastModifiedTime(root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex()),
                FileTime.from(Instant.now().minus(by)));
    }

    private boolean stored(Digest d) {
        return Files.exists(root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex()));
    }

    @Test
    void deletesOldUnreferencedBlobsOnly() throws Exception {
        byte[] layer = RegistryServerTest.random(1000, 1);
        byte[] manifest = c.image("app", layer, ManifestCheck.OCI_MANIFEST);
        c.putManifest("app", "v1", ManifestCheck.OCI_MANIFEST, manifest);
        Digest live = Digest.sha256(layer);
        Digest orphanOld = c.pushBlob("app", RegistryServerTest.random(500, 2));
        Digest orphanNew = c.pushBlob("app", RegistryServerTest.random(500, 3));
        // an untagged manifest stays, with its blobs
        byte[] layer2 = RegistryServerTest.random(700, 4);
        byte[] untagged = c.image("app", layer2, ManifestCheck.OCI_MANIFEST);
        c.putManifest("app", Digest.sha256(untagged).toString(), ManifestCheck.OCI_MANIFEST, untagged);
        // a deleted manifest's blobs go
        byte[] layer3 = RegistryServerTest.random(900, 5);
        byte[] deleted = c.image("app", layer3, ManifestCheck.OCI_MANIFEST);
        c.putManifest("app", "gone", ManifestCheck.OCI_MANIFEST, deleted);
        c.send("DELETE", "/v2/app/manifests/" + Digest.sha256(deleted), null);
        String staleUpload = RegistryClientForTests.header(c.send("POST", "/v2/app/blobs/uploads/", null),
                "Location");
        Path uploadData = root.resolve("uploads").resolve(staleUpload.substring(staleUpload.lastIndexOf('/') + 1))
                .resolve("data");
        Files.setLastModifiedTime(uploadData, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        for (Digest d : List.of(live, orphanOld, Digest.sha256(layer2), Digest.sha256(layer3),
                Digest.sha256(deleted), Digest.sha256(manifest))) {
            age(d, Duration.ofHours(2));
        }

        GarbageCollector.Result r = server.collectGarbage(Duration.ofHours(1));

        assertThat(stored(live)).isTrue();
        assertThat(stored(Digest.sha256(manifest))).isTrue();
        assertThat(stored(Digest.sha256(layer2))).isTrue();
        assertThat(stored(orphanNew)).isTrue();
        assertThat(stored(orphanOld)).isFalse();
        assertThat(stored(Digest.sha256(layer3))).isFalse();
        assertThat(stored(Digest.sha256(deleted))).isFalse();
        assertThat(r.deletedBlobs()).isEqualTo(3);
        assertThat(r.deletedUploads()).isEqualTo(1);
        assertThat(c.head("/v2/app/blobs/" + orphanOld).statusCode()).isEqualTo(404);
        assertThat(Files.exists(root.resolve("repositories/app/_layers/sha256").resolve(orphanOld.hex()))).isFalse();
        // the image still pulls whole
        assertThat(c.get("/v2/app/manifests/v1").body()).isEqualTo(manifest);
        assertThat(c.get("/v2/app/blobs/" + live).body()).isEqualTo(layer);
    }

    @Test
    void blobAClientChecksBeforeItsManifestSurvivesCollection() throws Exception {
        // an old, unreferenced blob: a client HEADs it, finds it, skips the upload, then sends its manifest
        byte[] layer = RegistryServerTest.random(800, 6);
        Digest d = c.pushBlob("reuse", layer);
        Digest config = c.pushBlob("reuse", "{\"os\":\"linux\"}".getBytes());
        age(d, Duration.ofHours(3));
        age(config, Duration.ofHours(3));
        assertThat(c.head("/v2/reuse/blobs/" + d).statusCode()).isEqualTo(200);
        assertThat(c.head("/v2/reuse/blobs/" + config).statusCode()).isEqualTo(200);
        server.collectGarbage(Duration.ofHours(1));
        byte[] m = RegistryClientForTests.manifest(ManifestCheck.OCI_MANIFEST, config, 14, d, layer.length, null);
        assertThat(c.putManifest("reuse", "v1", ManifestCheck.OCI_MANIFEST, m).statusCode()).isEqualTo(201);
    }

    @Test
    void pushesDuringCollectionsAllSucceedAndStayWhole() throws Exception {
        // every blob is swept as soon as nothing refers to it (grace 0), while pushes run
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> pushers = new ArrayList<>();
        List<byte[]> pushed = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 2; t++) {
            int thread = t;
            pushers.add(pool.submit(() -> {
                RegistryClientForTests client = new RegistryClientForTests(c.base, null);
                for (int i = 0; i < 15; i++) {
                    byte[] layer = RegistryServerTest.random(20_000, thread * 1000L + i);
                    byte[] manifest = client.image("busy/t" + thread, layer, ManifestCheck.OCI_MANIFEST);
                    HttpResponse<byte[]> r = client.putManifest("busy/t" + thread, "v" + i,
                            ManifestCheck.OCI_MANIFEST, manifest);
                    if (r.statusCode() != 201) {
                        throw new AssertionError("push " + i + ": " + RegistryClientForTests.text(r));
                    }
                    pushed.add(layer);
                }
                return null;
            }));
        }
        Future<Integer> collector = pool.submit(() -> {
            int runs = 0;
            while (!done.get() && runs < 10_000) {
                server.collectGarbage(Duration.ofSeconds(2));
                runs++;
            }
            return runs;
        });
        for (Future<?> f : pushers) {
            f.get(120, TimeUnit.SECONDS);
        }
        done.set(true);
        assertThat(collector.get(30, TimeUnit.SECONDS)).isPositive();
        pool.shutdown();

        // nothing tagged lost a blob, even after one more collection with no grace at all
        server.collectGarbage(Duration.ZERO);
        assertThat(pushed).hasSize(30);
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < 15; i++) {
                HttpResponse<byte[]> m = c.get("/v2/busy/t" + t + "/manifests/v" + i);
                assertThat(m.statusCode()).isEqualTo(200);
                var tree = RegistryClientForTests.json(m);
                for (var desc : List.of(tree.path("config"), tree.path("layers").get(0))) {
                    HttpResponse<byte[]> b = c.get("/v2/busy/t" + t + "/blobs/" + desc.path("digest").asText());
                    assertThat(b.statusCode()).isEqualTo(200);
                    assertThat(Digest.sha256(b.body()).toString()).isEqualTo(desc.path("digest").asText());
                }
            }
        }
    }

    @Test
    void periodicCollectionInTheServer() throws Exception {
        Path other = root.resolve("periodic");
        try (RegistryServer periodic = RegistryServer.start(new RegistryServer.Options(
                new java.net.InetSocketAddress("127.0.0.1", 0), other, null, null, null, Duration.ofMillis(100),
                Duration.ofSeconds(2)))) {
            RegistryClientForTests client = new RegistryClientForTests("http://127.0.0.1:" + periodic.port(), null);
            byte[] layer = RegistryServerTest.random(100, 11);
            byte[] manifest = client.image("kept", layer, ManifestCheck.OCI_MANIFEST);
            assertThat(client.putManifest("kept", "v1", ManifestCheck.OCI_MANIFEST, manifest).statusCode())
                    .isEqualTo(201);
            Digest orphan = client.pushBlob("kept", RegistryServerTest.random(100, 12));
            Path file = other.resolve("blobs/sha256").resolve(orphan.hex());
            for (int i = 0; i < 300 && Files.exists(file); i++) {
                Thread.sleep(50);
            }
            assertThat(file).doesNotExist();
            assertThat(client.get("/v2/kept/blobs/" + Digest.sha256(layer)).body()).isEqualTo(layer);
        }
    }

    @Test
    void aManifestItCannotReadStopsTheCollectionBeforeAnyDelete() throws Exception {
        Digest orphan = c.pushBlob("bad", RegistryServerTest.random(100, 13));
        age(orphan, Duration.ofHours(2));
        // a revision link to content that is not a manifest (a damaged store)
        Digest junk = c.pushBlob("bad", "not a manifest".getBytes());
        Path link = root.resolve("repositories/bad/_manifests/revisions/sha256").resolve(junk.hex());
        Files.createDirectories(link.getParent());
        Files.writeString(link, junk.toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.collectGarbage(Duration.ofHours(1)))
                .hasMessageContaining("cannot read manifest " + junk).hasMessageContaining("nothing was deleted");
        assertThat(stored(orphan)).isTrue();
    }
}
