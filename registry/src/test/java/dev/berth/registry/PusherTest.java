package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PusherTest {
    @TempDir
    Path root;

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Progress progress = (id, status, current, total) -> messages.add(id + ": " + status);
    private final BlobSources sources = BlobSources.inMemory();

    private Pusher.Blob blob(String name, byte[] bytes, String mediaType) throws Exception {
        Path f = Files.write(root.resolve(name), bytes);
        return new Pusher.Blob(new Descriptor(mediaType, Digest.sha256(bytes), bytes.length), f);
    }

    private Pusher.Blob config() throws Exception {
        return blob("config", "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8),
                MediaTypes.DOCKER_CONFIG);
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        return b;
    }

    private Pusher pusher(long chunk) {
        return new Pusher(new Registries(RegistryConfig.defaults()), sources, chunk);
    }

    @Test
    void push_mountsALayerKnownInAnotherRepositoryOfTheRegistry() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BEARER)) {
            r.perRepository = true;
            Pusher.Blob layer = blob("layer", random(10_000), MediaTypes.DOCKER_LAYER);
            Digest d = layer.descriptor().digest();
            r.blobs.put(d.toString(), Files.readAllBytes(layer.file()));
            r.repositoryBlobs.add("other/base " + d);
            sources.seen(r.host(), "other/base", d);
            sources.seen("elsewhere:5000", "team/app", d); // another registry's repositories are no candidates

            pusher(Pusher.DEFAULT_CHUNK).push(Reference.parse(r.host() + "/team/app:v1"), Credentials.ANONYMOUS,
                    config(), List.of(layer), progress);

            String id = d.hex().substring(0, 12);
            assertThat(messages).contains(id + ": Mounted from other/base");
            assertThat(r.uploadRequests).contains("POST /v2/team/app/blobs/uploads/?mount=" + d + "&from=other/base");
            assertThat(r.uploadRequests).noneMatch(q -> q.startsWith("PATCH") && q.endsWith("-9999"));
            assertThat(r.repositoryBlobs).contains("team/app " + d);
            assertThat(sources.repositories(r.host(), d)).containsExactly("team/app", "other/base");
        }
    }

    @Test
    void push_foreignLayer_isSkippedAndTheManifestKeepsItsUrls() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            Pusher.Blob plain = blob("plain", random(3_000), MediaTypes.DOCKER_LAYER);
            byte[] foreignBytes = random(4_000);
            Pusher.Blob foreign = new Pusher.Blob(new Descriptor(MediaTypes.DOCKER_FOREIGN_LAYER,
                    Digest.sha256(foreignBytes), foreignBytes.length, null, List.of("http://127.0.0.1:1/base.tar.gz")),
                    Files.write(root.resolve("foreign"), foreignBytes));

            pusher(Pusher.DEFAULT_CHUNK).push(Reference.parse(r.host() + "/team/app:v1"), Credentials.ANONYMOUS,
                    config(), List.of(foreign, plain), progress);

            Digest d = foreign.descriptor().digest();
            assertThat(messages).contains(d.hex().substring(0, 12) + ": Skipped foreign layer",
                    plain.descriptor().digest().hex().substring(0, 12) + ": Pushed");
            assertThat(r.blobs).doesNotContainKey(d.toString()).containsKey(plain.descriptor().digest().toString());
            var manifest = RegistryClient.JSON.readTree(r.manifests.get("v1"));
            assertThat(manifest.path("mediaType").asText()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
            assertThat(manifest.path("layers").get(0).toString()).isEqualTo("{\"mediaType\":\""
                    + MediaTypes.DOCKER_FOREIGN_LAYER + "\",\"size\":4000,\"digest\":\"" + d
                    + "\",\"urls\":[\"http://127.0.0.1:1/base.tar.gz\"]}");
            assertThat(manifest.path("layers").get(1).has("urls")).isFalse();
        }
    }

    @Test
    void push_whenTheMountIsRefused_uploadsIntoTheUploadTheRegistryOpened() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            r.perRepository = true;
            Pusher.Blob layer = blob("layer", random(5_000), MediaTypes.DOCKER_LAYER);
            Digest d = layer.descriptor().digest();
            sources.seen(r.host(), "gone/repo", d); // the registry no longer has it there

            pusher(Pusher.DEFAULT_CHUNK).push(Reference.parse(r.host() + "/team/app:v1"), Credentials.ANONYMOUS,
                    config(), List.of(layer), progress);

            assertThat(messages).contains(d.hex().substring(0, 12) + ": Pushed");
            assertThat(r.uploadRequests.stream().filter(q -> q.startsWith("POST")).toList()).hasSize(2); // layer, config
            assertThat(r.blobs.get(d.toString())).isEqualTo(Files.readAllBytes(layer.file()));
        }
    }

    @Test
    void push_afterTheConnectionDropsMidBlob_resumesAtTheRegistrysOffset() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            r.perRepository = true;
            byte[] bytes = random(300_000);
            Pusher.Blob layer = blob("layer", bytes, MediaTypes.DOCKER_LAYER);
            Digest d = layer.descriptor().digest();
            Reference ref = Reference.parse(r.host() + "/team/app:v1");
            r.cutUploadAfter = 30_000; // into the first chunk (0-65535)

            assertThatThrownBy(() -> pusher(64 * 1024).push(ref, Credentials.ANONYMOUS, config(), List.of(layer),
                    progress)).isInstanceOf(RegistryException.class);
            assertThat(sources.upload(r.host(), "team/app", d)).isPresent();
            int before = r.uploadRequests.size();

            pusher(64 * 1024).push(ref, Credentials.ANONYMOUS, config(), List.of(layer), progress);

            List<String> second = r.uploadRequests.subList(before, r.uploadRequests.size());
            assertThat(second.getFirst()).startsWith("GET /v2/team/app/blobs/uploads/");
            // the cut chunk arrived in part: the push goes on after the bytes the registry holds
            assertThat(second.get(1)).startsWith("PATCH /v2/team/app/blobs/uploads/").endsWith(" 30000-95535");
            assertThat(r.blobs.get(d.toString())).isEqualTo(bytes);
            assertThat(r.manifests).containsKey("v1");
            assertThat(sources.upload(r.host(), "team/app", d)).isEmpty();
        }
    }

    @Test
    void push_whenTheRegistryForgotTheUpload_startsANewOne() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            r.perRepository = true;
            byte[] bytes = random(100_000);
            Pusher.Blob layer = blob("layer", bytes, MediaTypes.DOCKER_LAYER);
            Digest d = layer.descriptor().digest();
            sources.upload(r.host(), "team/app", d, "http://" + r.host() + "/v2/team/app/blobs/uploads/expired");

            pusher(64 * 1024).push(Reference.parse(r.host() + "/team/app:v1"), Credentials.ANONYMOUS, config(),
                    List.of(layer), progress);

            assertThat(r.uploadRequests).contains("GET /v2/team/app/blobs/uploads/expired");
            assertThat(r.uploadRequests).anyMatch(q -> q.endsWith(" 0-65535"));
            assertThat(r.blobs.get(d.toString())).isEqualTo(bytes);
        }
    }

    @Test
    void push_skipsALayerTheRepositoryHas() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            r.perRepository = true;
            Pusher.Blob layer = blob("layer", random(1_000), MediaTypes.DOCKER_LAYER);
            Digest d = layer.descriptor().digest();
            r.blobs.put(d.toString(), Files.readAllBytes(layer.file()));
            r.repositoryBlobs.add("team/app " + d);

            pusher(Pusher.DEFAULT_CHUNK).push(Reference.parse(r.host() + "/team/app:v1"), Credentials.ANONYMOUS,
                    config(), List.of(layer), progress);

            assertThat(messages).contains(d.hex().substring(0, 12) + ": Layer already exists");
            assertThat(sources.repositories(r.host(), d)).containsExactly("team/app");
        }
    }
}
