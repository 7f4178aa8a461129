package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PullerTest {
    @TempDir
    Path root;

    private LayerStore layers;
    private ContentStore content;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Progress progress = (id, status, current, total) -> messages.add(id + ": " + status);
    private int uid;
    private int gid;

    @BeforeEach
    void setUp() throws IOException {
        layers = new LayerStore(root);
        content = new ContentStore(root);
        Path probe = Files.createTempFile(root, "ids", "");
        uid = (int) Files.getAttribute(probe, "unix:uid");
        gid = (int) Files.getAttribute(probe, "unix:gid");
        Files.delete(probe);
    }

    private Puller puller() {
        return new Puller(new Registries(RegistryConfig.defaults()), content, layers);
    }

    /** Puts an image of one gzip layer holding /hello under repo:tag; returns the layer's blob digest. */
    private Digest image(FakeRegistry r, String repoTag, byte[] servedLayer) {
        return image(r, repoTag, servedLayer, MediaTypes.DOCKER_LAYER, List.of());
    }

    /** The same, with the layer's media type and foreign URLs as given. */
    private Digest image(FakeRegistry r, String repoTag, byte[] servedLayer, String layerType, List<String> urls) {
        byte[] tar = FakeRegistry.tar("hello", "hi there\n", uid, gid);
        byte[] gz = FakeRegistry.gzip(tar);
        Digest layer = Digest.sha256(gz);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256(tar) + "\"]}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        r.blobs.put(Digest.sha256(configBytes).toString(), configBytes);
        r.blobs.put(layer.toString(), servedLayer == null ? gz : servedLayer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"size\":" + configBytes.length + ",\"digest\":\""
                + Digest.sha256(configBytes) + "\"},\"layers\":[{\"mediaType\":\"" + layerType
                + "\",\"size\":" + gz.length + ",\"digest\":\"" + layer + "\""
                + (urls.isEmpty() ? "" : ",\"urls\":[\"" + String.join("\",\"", urls) + "\"]") + "}]}";
        r.manifests.put(repoTag.substring(repoTag.indexOf(':') + 1), manifest.getBytes(StandardCharsets.UTF_8));
        return layer;
    }

    @Test
    void pull_withAnonymousBearerToken_unpacksTheLayerAndKeepsTheBlob() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BEARER)) {
            Digest layer = image(r, "team/app:v1", null);
            Puller.Pulled p = puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.parse("linux/amd64"),
                    Credentials.ANONYMOUS, d -> false, progress);
            assertThat(Files.readString(layers.diffDir(p.chainIds().getFirst()).resolve("hello"))).isEqualTo("hi there\n");
            assertThat(content.has(layer)).isTrue();
            assertThat(r.tokenRequests).isEqualTo(1);
            assertThat(messages).startsWith("v1: Pulling from team/app", layer.hex().substring(0, 12) + ": Pulling fs layer")
                    .contains(layer.hex().substring(0, 12) + ": Pull complete");
            messages.clear();
            puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(), Credentials.ANONYMOUS,
                    d -> false, progress);
            assertThat(messages).contains(layer.hex().substring(0, 12) + ": Already exists");
        }
    }

    @Test
    void pull_withBearerCredentials_sendsThemToTheTokenService() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BEARER)) {
            image(r, "team/app:v1", null);
            puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    new Credentials("alice", "s3cret", null), d -> false, progress);
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    new Credentials("alice", "wrong", null), d -> false, progress))
                    .isInstanceOf(RegistryException.class).hasMessage("unauthorized: incorrect username or password");
        }
    }

    @Test
    void pull_withBasicAuth_needsCredentials() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BASIC)) {
            image(r, "team/app:v1", null);
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress))
                    .isInstanceOf(RegistryException.class).hasMessageEndingWith("no basic auth credentials");
            Puller.Pulled p = puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    new Credentials("alice", "s3cret", null), d -> false, progress);
            assertThat(layers.exists(p.chainIds().getFirst())).isTrue();
        }
    }

    @Test
    void pull_blobDigestMismatch_failsNamingTheDigestAndStoresNothing() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            byte[] tar = FakeRegistry.tar("hello", "hi there\n", uid, gid);
            byte[] other = FakeRegistry.gzip(FakeRegistry.tar("hello", "hi there\n", uid, gid)); // same tar...
            other[4] = 1; // ...but another gzip header (mtime): another blob digest, the same diff id
            Digest layer = image(r, "team/app:v1", other);
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress))
                    .hasMessageContaining("filesystem layer verification failed for digest " + layer);
            assertThat(layers.exists(Digest.sha256(tar).toString())).isFalse();
            assertThat(content.has(layer)).isFalse();
            try (var ingest = Files.list(root.resolve("ingest"))) {
                assertThat(ingest.toList()).isEmpty();
            }
        }
    }

    @Test
    void pull_errorsInDockersWords() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            image(r, "team/app:v1", null);
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:nope"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress))
                    .hasMessage("manifest for " + r.host() + "/team/app:nope not found: manifest unknown: manifest unknown");
            r.forcedStatus.put("/v2/team/app/manifests/v1", 500);
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress))
                    .hasMessage("received unexpected HTTP status: 500 Internal Server Error");
            r.forcedStatus.put("/v2/team/app/manifests/v1", 429);
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress))
                    .hasMessage("toomanyrequests: slow down");
        }
    }

    @Test
    void pull_index_picksTheWantedPlatform() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            image(r, "team/app:amd", null);
            byte[] amd = r.manifests.get("amd");
            Digest amdDigest = Digest.sha256(amd);
            r.manifests.put(amdDigest.toString(), amd);
            String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                    + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"size\":1,\"digest\":\"sha256:" + "a".repeat(64)
                    + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
                    + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"size\":" + amd.length + ",\"digest\":\""
                    + amdDigest + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
            r.manifests.put("multi", index.getBytes(StandardCharsets.UTF_8));
            Puller.Pulled p = puller().pull(Reference.parse(r.host() + "/team/app:multi"), Platform.parse("linux/amd64"),
                    Credentials.ANONYMOUS, d -> false, progress);
            assertThat(p.manifestDigest()).isEqualTo(Digest.sha256(index.getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:multi"),
                    Platform.parse("linux/s390x"), Credentials.ANONYMOUS, d -> false, progress))
                    .hasMessage("no matching manifest for linux/s390x in the manifest list entries");
        }
    }

    @Test
    void pull_cutMidBlob_resumesWithARangeRequest() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE)) {
            byte[] big = new byte[300_000];
            new java.util.Random(1).nextBytes(big);
            byte[] tar = FakeRegistry.tar("big", java.util.Base64.getEncoder().encodeToString(big), uid, gid);
            byte[] gz = FakeRegistry.gzip(tar);
            Digest layer = image(r, "team/app:v1", null);
            // replace the layer by a bigger one, and cut the first transfer half-way
            r.blobs.remove(layer.toString());
            String manifest = new String(r.manifests.get("v1"), StandardCharsets.UTF_8)
                    .replace(layer.toString(), Digest.sha256(gz).toString())
                    .replaceAll("\"size\":\\d+,\"digest\":\"" + Digest.sha256(gz), "\"size\":" + gz.length
                            + ",\"digest\":\"" + Digest.sha256(gz));
            byte[] oldConfig = r.blobs.values().stream().filter(b -> new String(b, StandardCharsets.UTF_8)
                    .contains("diff_ids")).findFirst().orElseThrow();
            byte[] config = new String(oldConfig, StandardCharsets.UTF_8).replaceAll("sha256:[0-9a-f]{64}",
                    Digest.sha256(tar).toString()).getBytes(StandardCharsets.UTF_8);
            r.blobs.put(Digest.sha256(config).toString(), config);
            manifest = manifest.replace(Digest.sha256(oldConfig).toString(), Digest.sha256(config).toString())
                    .replace("\"size\":" + oldConfig.length + ",", "\"size\":" + config.length + ",");
            r.manifests.put("v1", manifest.getBytes(StandardCharsets.UTF_8));
            r.blobs.put(Digest.sha256(gz).toString(), gz);
            r.cutBlob = Digest.sha256(gz).toString();
            r.cutAfter = gz.length / 2;
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress)).isInstanceOf(Exception.class);
            assertThat(Files.size(root.resolve("ingest").resolve(Digest.sha256(gz).hex()))).isPositive();
            Puller.Pulled p = puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress);
            assertThat(r.ranges).hasSize(1).first().asString().startsWith("bytes=").isNotEqualTo("bytes=0-");
            assertThat(layers.exists(p.chainIds().getFirst())).isTrue();
            assertThat(content.has(Digest.sha256(gz))).isTrue();
        }
    }

    /** A plain HTTP server on loopback serving one path, as a foreign layer's URL; records the requests. */
    private static final class UrlServer implements AutoCloseable {
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        volatile byte[] served;

        UrlServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                requests.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization"));
                byte[] body = ex.getRequestURI().getPath().equals("/layer.tar.gz") ? served : null;
                ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    ex.getResponseBody().write(body);
                }
                ex.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void pull_foreignLayerTheRegistryLacks_comesFromItsUrlsWithTheDigestChecked() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.BEARER); UrlServer urls = new UrlServer()) {
            Digest layer = image(r, "team/app:v1", null, MediaTypes.DOCKER_FOREIGN_LAYER,
                    List.of("ftp://127.0.0.1/layer.tar.gz", urls.url("/missing"), urls.url("/layer.tar.gz")));
            byte[] gz = r.blobs.remove(layer.toString());
            Reference ref = Reference.parse(r.host() + "/team/app:v1");

            urls.served = FakeRegistry.gzip(FakeRegistry.tar("hello", "tampered\n", uid, gid));
            assertThatThrownBy(() -> puller().pull(ref, Platform.host(), Credentials.ANONYMOUS, d -> false, progress))
                    .isInstanceOf(IOException.class);
            assertThat(content.has(layer)).isFalse();
            try (var dirs = Files.list(root.resolve("layers"))) {
                assertThat(dirs.filter(d -> !d.getFileName().toString().equals("l")).toList()).isEmpty();
            }

            urls.served = gz;
            Puller.Pulled p = puller().pull(ref, Platform.host(), Credentials.ANONYMOUS, d -> false, progress);
            assertThat(Files.readString(layers.diffDir(p.chainIds().getFirst()).resolve("hello"))).isEqualTo("hi there\n");
            assertThat(content.has(layer)).isTrue();
            assertThat(p.layers().getFirst().urls()).hasSize(3);
            assertThat(urls.requests).containsExactly("/missing null", "/layer.tar.gz null", "/missing null",
                    "/layer.tar.gz null"); // in order, the ftp URL skipped, no registry credentials sent
        }
    }

    @Test
    void pull_nondistributableLayerTheRegistryHolds_comesFromTheRegistry() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE); UrlServer urls = new UrlServer()) {
            Digest layer = image(r, "team/app:v1", null, MediaTypes.OCI_NONDISTRIBUTABLE_PREFIX + "v1.tar+gzip",
                    List.of(urls.url("/layer.tar.gz")));
            Puller.Pulled p = puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress);
            assertThat(layers.exists(p.chainIds().getFirst())).isTrue();
            assertThat(content.has(layer)).isTrue();
            assertThat(urls.requests).isEmpty();
        }
    }

    @Test
    void pull_foreignLayerNoUrlServes_failsNamingTheUrl() throws Exception {
        try (FakeRegistry r = new FakeRegistry(FakeRegistry.Auth.NONE); UrlServer urls = new UrlServer()) {
            Digest layer = image(r, "team/app:v1", null, MediaTypes.DOCKER_FOREIGN_LAYER, List.of(urls.url("/missing")));
            r.blobs.remove(layer.toString());
            assertThatThrownBy(() -> puller().pull(Reference.parse(r.host() + "/team/app:v1"), Platform.host(),
                    Credentials.ANONYMOUS, d -> false, progress))
                    .hasMessage("error fetching foreign layer " + layer + " from " + urls.url("/missing")
                            + ": unexpected status code 404");
            assertThat(content.has(layer)).isFalse();
        }
    }

    @Test
    void registryConfig_httpForLoopbackAndInsecureOnly() {
        RegistryConfig c = new RegistryConfig(Set.of("myreg:5000"), List.of("http://m"), java.util.Map.of(), 3, 5);
        assertThat(c.allowsHttp("localhost:5000")).isTrue();
        assertThat(c.allowsHttp("127.0.0.1:5000")).isTrue();
        assertThat(c.allowsHttp("myreg:5000")).isTrue();
        assertThat(c.allowsHttp("quay.io")).isFalse();
        assertThat(c.mirrorsOf("docker.io")).containsExactly("http://m");
        assertThat(c.mirrorsOf("quay.io")).isEmpty();
        assertThat(new ArrayList<>(c.insecure())).containsExactly("myreg:5000");
    }
}
