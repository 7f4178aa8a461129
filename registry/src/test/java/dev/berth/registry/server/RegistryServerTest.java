package dev.berth.registry.server;

import static dev.berth.registry.server.RegistryClientForTests.errorCode;
import static dev.berth.registry.server.RegistryClientForTests.header;
import static dev.berth.registry.server.RegistryClientForTests.json;
import static dev.berth.registry.server.RegistryClientForTests.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Digest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution API, endpoint by endpoint, against a server on a random loopback port. */
class RegistryServerTest {
    @TempDir
    Path root;

    RegistryServer server;
    RegistryClientForTests c;

    @BeforeEach
    void start() throws Exception {
        server = RegistryServer.start(options(root));
        c = new RegistryClientForTests("http://127.0.0.1:" + server.port(), null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static RegistryServer.Options options(Path root) {
        return new RegistryServer.Options(new InetSocketAddress("127.0.0.1", 0), root, null, null, null, null,
                Duration.ofHours(1));
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void base() {
        HttpResponse<byte[]> r = c.get("/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
        assertThat(c.get("/v2/nothing/here/at/all").statusCode()).isEqualTo(404);
    }

    @Test
    void monolithicPushThenPullWithRanges() {
        byte[] blob = random(300_000, 1);
        Digest d = c.pushBlob("a/b", blob);

        HttpResponse<byte[]> head = c.head("/v2/a/b/blobs/" + d);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(header(head, "Content-Length")).isEqualTo("300000");
        assertThat(header(head, "Docker-Content-Digest")).isEqualTo(d.toString());

        HttpResponse<byte[]> get = c.get("/v2/a/b/blobs/" + d);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(blob);

        HttpResponse<byte[]> part = c.get("/v2/a/b/blobs/" + d, "Range", "bytes=1000-1999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(header(part, "Content-Range")).isEqualTo("bytes 1000-1999/300000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(blob, 1000, 2000));

        HttpResponse<byte[]> tail = c.get("/v2/a/b/blobs/" + d, "Range", "bytes=299990-");
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(blob, 299990, 300000));

        HttpResponse<byte[]> bad = c.get("/v2/a/b/blobs/" + d, "Range", "bytes=400000-");
        assertThat(bad.statusCode()).isEqualTo(416);
        assertThat(header(bad, "Content-Range")).isEqualTo("bytes */300000");
        assertThat(c.get("/v2/a/b/blobs/" + d, "Range", "bytes=99999999999999999999999-").statusCode())
                .isEqualTo(416);

        // the blob belongs to a/b only
        HttpResponse<byte[]> other = c.get("/v2/x/y/blobs/" + d);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(errorCode(other)).isEqualTo("BLOB_UNKNOWN");
        assertThat(c.head("/v2/x/y/blobs/" + d).statusCode()).isEqualTo(404);
        assertThat(errorCode(c.get("/v2/a/b/blobs/sha256:nothex"))).isEqualTo("DIGEST_INVALID");
        assertThat(errorCode(c.get("/v2/UPPER/blobs/" + d))).isEqualTo("NAME_INVALID");
    }

    @Test
    void postThenPutAndDigestMismatch() {
        byte[] blob = random(5000, 2);
        Digest d = Digest.sha256(blob);
        HttpResponse<byte[]> post = c.send("POST", "/v2/r/blobs/uploads/", null);
        assertThat(post.statusCode()).isEqualTo(202);
        String location = header(post, "Location");
        assertThat(location).startsWith("/v2/r/blobs/uploads/");
        assertThat(header(post, "Docker-Upload-UUID")).isNotBlank();

        HttpResponse<byte[]> put = c.send("PUT", location + "?digest=" + d, blob,
                "Content-Type", "application/octet-stream");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Location")).isEqualTo("/v2/r/blobs/" + d);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(d.toString());
        assertThat(c.get("/v2/r/blobs/" + d).body()).isEqualTo(blob);

        // a finished upload is gone
        assertThat(errorCode(c.get(location))).isEqualTo("BLOB_UPLOAD_UNKNOWN");

        String again = header(c.send("POST", "/v2/r/blobs/uploads/", null), "Location");
        HttpResponse<byte[]> wrong = c.send("PUT", again + "?digest=" + Digest.sha256(new byte[1]), blob);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(errorCode(wrong)).isEqualTo("DIGEST_INVALID");
        assertThat(c.head("/v2/r/blobs/" + Digest.sha256(new byte[1])).statusCode()).isEqualTo(404);
    }

    @Test
    void chunkedUploadResumesAcrossRestartAndRefusesOutOfOrderChunks() throws Exception {
        byte[] blob = random(100_000, 3);
        Digest d = Digest.sha256(blob);
        String location = header(c.send("POST", "/v2/chunks/blobs/uploads/", null), "Location");

        HttpResponse<byte[]> p1 = c.send("PATCH", location, Arrays.copyOfRange(blob, 0, 40_000),
                "Content-Range", "0-39999", "Content-Type", "application/octet-stream");
        assertThat(p1.statusCode()).isEqualTo(202);
        assertThat(header(p1, "Range")).isEqualTo("0-39999");

        // a chunk that does not start where the upload ends
        HttpResponse<byte[]> gap = c.send("PATCH", location, Arrays.copyOfRange(blob, 50_000, 60_000),
                "Content-Range", "50000-59999");
        assertThat(gap.statusCode()).isEqualTo(416);
        assertThat(header(gap, "Range")).isEqualTo("0-39999");

        // the registry restarts: the upload survives and reports where to resume
        server.close();
        server = RegistryServer.start(options(root));
        c = new RegistryClientForTests("http://127.0.0.1:" + server.port(), null);
        HttpResponse<byte[]> status = c.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(header(status, "Range")).isEqualTo("0-39999");
        assertThat(header(status, "Location")).isEqualTo(location);

        HttpResponse<byte[]> p2 = c.send("PATCH", location, Arrays.copyOfRange(blob, 40_000, 90_000),
                "Content-Range", "40000-89999");
        assertThat(p2.statusCode()).isEqualTo(202);
        assertThat(header(p2, "Range")).isEqualTo("0-89999");
        // the last chunk comes with the PUT
        HttpResponse<byte[]> put = c.send("PUT", location + "?digest=" + d, Arrays.copyOfRange(blob, 90_000, 100_000),
                "Content-Range", "90000-99999");
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(c.get("/v2/chunks/blobs/" + d).body()).isEqualTo(blob);
    }

    @Test
    void cancelUpload() {
        String location = header(c.send("POST", "/v2/r/blobs/uploads/", null), "Location");
        assertThat(c.send("DELETE", location, null).statusCode()).isEqualTo(204);
        assertThat(c.get(location).statusCode()).isEqualTo(404);
        assertThat(c.send("PATCH", location, new byte[10]).statusCode()).isEqualTo(404);
    }

    @Test
    void crossRepositoryMount() {
        byte[] blob = random(1000, 4);
        Digest d = c.pushBlob("src/app", blob);
        HttpResponse<byte[]> mount = c.send("POST", "/v2/dst/app/blobs/uploads/?mount=" + d + "&from=src/app", null);
        assertThat(mount.statusCode()).isEqualTo(201);
        assertThat(header(mount, "Location")).isEqualTo("/v2/dst/app/blobs/" + d);
        assertThat(c.get("/v2/dst/app/blobs/" + d).body()).isEqualTo(blob);

        // not in the source repository: an ordinary upload starts instead
        Digest unknown = Digest.sha256(new byte[] {9});
        HttpResponse<byte[]> fallback = c.send("POST",
                "/v2/dst/app/blobs/uploads/?mount=" + unknown + "&from=nowhere", null);
        assertThat(fallback.statusCode()).isEqualTo(202);
        assertThat(header(fallback, "Location")).startsWith("/v2/dst/app/blobs/uploads/");
    }

    @Test
    void manifestsByTagAndDigest() {
        byte[] manifest = c.image("team/app", random(2000, 5), ManifestCheck.DOCKER_MANIFEST);
        Digest md = Digest.sha256(manifest);

        HttpResponse<byte[]> put = c.putManifest("team/app", "v1", ManifestCheck.DOCKER_MANIFEST, manifest);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "Docker-Content-Digest")).isEqualTo(md.toString());
        assertThat(header(put, "Location")).isEqualTo("/v2/team/app/manifests/" + md);

        for (String ref : new String[] {"v1", md.toString()}) {
            HttpResponse<byte[]> get = c.get("/v2/team/app/manifests/" + ref,
                    "Accept", ManifestCheck.DOCKER_MANIFEST);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo(manifest);
            assertThat(header(get, "Content-Type")).isEqualTo(ManifestCheck.DOCKER_MANIFEST);
            assertThat(header(get, "Docker-Content-Digest")).isEqualTo(md.toString());
            HttpResponse<byte[]> head = c.head("/v2/team/app/manifests/" + ref);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(manifest.length));
        }

        // by digest: the digest must be the content's
        assertThat(c.putManifest("team/app", md.toString(), ManifestCheck.DOCKER_MANIFEST, manifest).statusCode())
                .isEqualTo(201);
        HttpResponse<byte[]> mismatch = c.putManifest("team/app", Digest.sha256(new byte[2]).toString(),
                ManifestCheck.DOCKER_MANIFEST, manifest);
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(errorCode(mismatch)).isEqualTo("DIGEST_INVALID");

        // an index over it, OCI and Docker flavours
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + ManifestCheck.OCI_INDEX + "\",\"manifests\":[{"
                + "\"mediaType\":\"" + ManifestCheck.DOCKER_MANIFEST + "\",\"digest\":\"" + md + "\",\"size\":"
                + manifest.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
        HttpResponse<byte[]> idx = c.putManifest("team/app", "multi", ManifestCheck.OCI_INDEX,
                index.getBytes(StandardCharsets.UTF_8));
        assertThat(idx.statusCode()).isEqualTo(201);
        assertThat(header(c.get("/v2/team/app/manifests/multi"), "Content-Type")).isEqualTo(ManifestCheck.OCI_INDEX);
        String list = index.replace(ManifestCheck.OCI_INDEX, ManifestCheck.DOCKER_LIST);
        assertThat(c.putManifest("team/app", "list", ManifestCheck.DOCKER_LIST,
                list.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> unknown = c.get("/v2/team/app/manifests/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(errorCode(c.get("/v2/no/such/manifests/latest"))).isEqualTo("NAME_UNKNOWN");
    }

    @Test
    void manifestValidation() {
        HttpResponse<byte[]> notJson = c.putManifest("v", "t", ManifestCheck.OCI_MANIFEST,
                "{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(errorCode(notJson)).isEqualTo("MANIFEST_INVALID");

        Digest missing = Digest.sha256("missing".getBytes(StandardCharsets.UTF_8));
        Digest config = c.pushBlob("v", "{}".getBytes(StandardCharsets.UTF_8));
        byte[] m = RegistryClientForTests.manifest(ManifestCheck.OCI_MANIFEST, config, 2, missing, 7, null);
        HttpResponse<byte[]> r = c.putManifest("v", "t", ManifestCheck.OCI_MANIFEST, m);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(errorCode(r)).isEqualTo("MANIFEST_BLOB_UNKNOWN");
        assertThat(text(r)).contains(missing.toString());

        // media type in the body and Content-Type disagree
        HttpResponse<byte[]> clash = c.putManifest("v", "t", ManifestCheck.DOCKER_MANIFEST, m);
        assertThat(errorCode(clash)).isEqualTo("MANIFEST_INVALID");

        HttpResponse<byte[]> badTag = c.putManifest("v", "-bad", ManifestCheck.OCI_MANIFEST, m);
        assertThat(badTag.statusCode()).isEqualTo(400);
        // nothing was stored by the refused pushes
        assertThat(c.get("/v2/v/tags/list").statusCode()).isEqualTo(200);
        assertThat(json(c.get("/v2/v/tags/list")).path("tags")).isEmpty();
    }

    @Test
    void tagsAndCatalogPaginate() {
        byte[] manifest = c.image("p/q", random(100, 6), ManifestCheck.OCI_MANIFEST);
        for (String tag : new String[] {"c", "a", "e", "b", "d"}) {
            assertThat(c.putManifest("p/q", tag, ManifestCheck.OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
        }
        JsonNode all = json(c.get("/v2/p/q/tags/list"));
        assertThat(all.path("name").asText()).isEqualTo("p/q");
        assertThat(all.path("tags").toString()).isEqualTo("[\"a\",\"b\",\"c\",\"d\",\"e\"]");

        HttpResponse<byte[]> first = c.get("/v2/p/q/tags/list?n=2");
        assertThat(json(first).path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(header(first, "Link")).isEqualTo("</v2/p/q/tags/list?last=b&n=2>; rel=\"next\"");
        HttpResponse<byte[]> next = c.get("/v2/p/q/tags/list?last=b&n=2");
        assertThat(json(next).path("tags").toString()).isEqualTo("[\"c\",\"d\"]");
        HttpResponse<byte[]> lastPage = c.get("/v2/p/q/tags/list?last=d&n=2");
        assertThat(json(lastPage).path("tags").toString()).isEqualTo("[\"e\"]");
        assertThat(header(lastPage, "Link")).isNull();
        assertThat(errorCode(c.get("/v2/p/q/tags/list?n=x"))).isEqualTo("PAGINATION_NUMBER_INVALID");
        assertThat(errorCode(c.get("/v2/unknown/tags/list"))).isEqualTo("NAME_UNKNOWN");

        c.pushBlob("z/last", new byte[] {1});
        c.pushBlob("a/first", new byte[] {1});
        assertThat(json(c.get("/v2/_catalog")).path("repositories").toString())
                .isEqualTo("[\"a/first\",\"p/q\",\"z/last\"]");
        HttpResponse<byte[]> page = c.get("/v2/_catalog?n=1");
        assertThat(json(page).path("repositories").toString()).isEqualTo("[\"a/first\"]");
        assertThat(header(page, "Link")).isEqualTo("</v2/_catalog?last=a/first&n=1>; rel=\"next\"");
        assertThat(json(c.get("/v2/_catalog?n=5&last=a/first")).path("repositories").toString())
                .isEqualTo("[\"p/q\",\"z/last\"]");

        JsonNode search = json(c.get("/v1/search?q=a&n=1"));
        assertThat(search.path("num_results").asInt()).isEqualTo(2);
        assertThat(search.path("query").asText()).isEqualTo("a");
        assertThat(search.path("results").toString()).isEqualTo("[{\"name\":\"a/first\",\"description\":\"\","
                + "\"star_count\":0,\"is_official\":false,\"is_automated\":false}]");
        assertThat(json(c.get("/v1/search?q=nothing")).path("results").size()).isZero();
    }

    @Test
    void deleteManifestTagAndBlob() {
        byte[] manifest = c.image("d/e", random(100, 7), ManifestCheck.OCI_MANIFEST);
        Digest md = Digest.sha256(manifest);
        c.putManifest("d/e", "one", ManifestCheck.OCI_MANIFEST, manifest);
        c.putManifest("d/e", "two", ManifestCheck.OCI_MANIFEST, manifest);

        assertThat(c.send("DELETE", "/v2/d/e/manifests/one", null).statusCode()).isEqualTo(202);
        assertThat(c.get("/v2/d/e/manifests/one").statusCode()).isEqualTo(404);
        assertThat(c.get("/v2/d/e/manifests/two").statusCode()).isEqualTo(200);

        assertThat(c.send("DELETE", "/v2/d/e/manifests/" + md, null).statusCode()).isEqualTo(202);
        assertThat(errorCode(c.get("/v2/d/e/manifests/" + md))).isEqualTo("MANIFEST_UNKNOWN");
        assertThat(c.get("/v2/d/e/manifests/two").statusCode()).isEqualTo(404);
        assertThat(c.send("DELETE", "/v2/d/e/manifests/" + md, null).statusCode()).isEqualTo(404);

        Digest layer = Digest.sha256(random(100, 7));
        assertThat(c.send("DELETE", "/v2/d/e/blobs/" + layer, null).statusCode()).isEqualTo(202);
        assertThat(errorCode(c.get("/v2/d/e/blobs/" + layer))).isEqualTo("BLOB_UNKNOWN");
        assertThat(c.send("DELETE", "/v2/d/e/blobs/" + layer, null).statusCode()).isEqualTo(404);
    }

    @Test
    void referrers() {
        byte[] image = c.image("ref/app", random(100, 8), ManifestCheck.OCI_MANIFEST);
        Digest subject = Digest.sha256(image);
        c.putManifest("ref/app", "v1", ManifestCheck.OCI_MANIFEST, image);

        Digest empty = c.pushBlob("ref/app", "{}".getBytes(StandardCharsets.UTF_8));
        Digest sig = c.pushBlob("ref/app", "signature".getBytes(StandardCharsets.UTF_8));
        String subjectField = "\"subject\":{\"mediaType\":\"" + ManifestCheck.OCI_MANIFEST + "\",\"digest\":\""
                + subject + "\",\"size\":" + image.length + "}";
        byte[] sbom = ("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestCheck.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/spdx+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + empty
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/spdx+json\",\"digest\":\"" + sig
                + "\",\"size\":9}]," + subjectField + ",\"annotations\":{\"k\":\"v\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] signature = ("{\"schemaVersion\":2,\"mediaType\":\"" + ManifestCheck.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.example.signature\",\"digest\":\"" + empty
                + "\",\"size\":2},\"layers\":[]," + subjectField + "}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<byte[]> put = c.putManifest("ref/app", Digest.sha256(sbom).toString(),
                ManifestCheck.OCI_MANIFEST, sbom);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(header(put, "OCI-Subject")).isEqualTo(subject.toString());
        c.putManifest("ref/app", Digest.sha256(signature).toString(), ManifestCheck.OCI_MANIFEST, signature);

        HttpResponse<byte[]> all = c.get("/v2/ref/app/referrers/" + subject);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(header(all, "Content-Type")).isEqualTo(ManifestCheck.OCI_INDEX);
        JsonNode index = json(all);
        assertThat(index.path("mediaType").asText()).isEqualTo(ManifestCheck.OCI_INDEX);
        assertThat(index.path("manifests")).hasSize(2);

        HttpResponse<byte[]> filtered = c.get("/v2/ref/app/referrers/" + subject + "?artifactType=application/spdx%2Bjson");
        assertThat(header(filtered, "OCI-Filters-Applied")).isEqualTo("artifactType");
        JsonNode only = json(filtered).path("manifests");
        assertThat(only).hasSize(1);
        assertThat(only.get(0).path("digest").asText()).isEqualTo(Digest.sha256(sbom).toString());
        assertThat(only.get(0).path("size").asInt()).isEqualTo(sbom.length);
        assertThat(only.get(0).path("annotations").path("k").asText()).isEqualTo("v");
        // the config media type stands for the artifact type when there is none
        JsonNode sigOnly = json(c.get("/v2/ref/app/referrers/" + subject
                + "?artifactType=application/vnd.example.signature")).path("manifests");
        assertThat(sigOnly).hasSize(1);

        // no referrers: an empty index, not an error
        JsonNode none = json(c.get("/v2/ref/app/referrers/" + Digest.sha256(new byte[3])));
        assertThat(none.path("manifests")).isEmpty();

        c.send("DELETE", "/v2/ref/app/manifests/" + Digest.sha256(sbom), null);
        assertThat(json(c.get("/v2/ref/app/referrers/" + subject)).path("manifests")).hasSize(1);
    }

    @Test
    void storedBlobsAreReadOnlyAndNoUploadLeftBehind() throws IOException {
        Digest d = c.pushBlob("f/g", random(10, 9));
        Path blob = root.resolve("blobs/sha256").resolve(d.hex());
        assertThat(java.nio.file.Files.getPosixFilePermissions(blob).toString()).isEqualTo("[OWNER_READ, GROUP_READ, OTHERS_READ]");
        try (var s = java.nio.file.Files.list(root.resolve("uploads"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void streamedChunkWithoutContentRangeAsDockerSendsIt() {
        byte[] blob = random(250_000, 10);
        Digest d = Digest.sha256(blob);
        String location = header(c.send("POST", "/v2/docker/style/blobs/uploads/", null), "Location");
        // unknown length: the client sends the body with Transfer-Encoding: chunked
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(c.base + location))
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(blob)))
                .header("Content-Type", "application/octet-stream").build();
        HttpResponse<byte[]> patch;
        try {
            patch = c.http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(header(patch, "Range")).isEqualTo("0-249999");
        HttpResponse<byte[]> put = c.send("PUT", header(patch, "Location") + "?digest=" + d, null);
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(c.get("/v2/docker/style/blobs/" + d).body()).isEqualTo(blob);
    }

    @Test
    void connectionLostMidChunkKeepsWhatArrived() throws Exception {
        byte[] blob = random(100_000, 11);
        String location = header(c.send("POST", "/v2/cut/blobs/uploads/", null), "Location");
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            var out = s.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
                    + "Content-Range: 0-99999\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(blob, 0, 30_000);
            out.flush();
        }
        String range = null;
        for (int i = 0; i < 100; i++) {
            range = header(c.get(location), "Range");
            if ("0-29999".equals(range)) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(range).isEqualTo("0-29999");
        HttpResponse<byte[]> rest = c.send("PATCH", location, Arrays.copyOfRange(blob, 30_000, 100_000),
                "Content-Range", "30000-99999");
        assertThat(rest.statusCode()).isEqualTo(202);
        assertThat(c.send("PUT", location + "?digest=" + Digest.sha256(blob), null).statusCode()).isEqualTo(201);
        assertThat(c.get("/v2/cut/blobs/" + Digest.sha256(blob)).body()).isEqualTo(blob);
    }

    @Test
    void oversizedManifestIsRefused() {
        byte[] big = new byte[ManifestCheck.MAX_SIZE + 1];
        Arrays.fill(big, (byte) ' ');
        HttpResponse<byte[]> r = c.putManifest("huge", "v1", ManifestCheck.OCI_MANIFEST, big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(errorCode(r)).isEqualTo("SIZE_INVALID");
        assertThat(c.get("/v2/").statusCode()).isEqualTo(200);
    }

    @Test
    void nextRequestOnAnotherConnectionRightAfterAChunk() {
        // skopeo sends the closing PUT on a new connection the moment the PATCH is answered
        RegistryClientForTests other = new RegistryClientForTests(c.base, null);
        for (int i = 0; i < 60; i++) {
            byte[] blob = random(2000, 100 + i);
            String location = header(c.send("POST", "/v2/race/blobs/uploads/", null), "Location");
            HttpResponse<byte[]> patch = c.send("PATCH", location, blob);
            assertThat(patch.statusCode()).isEqualTo(202);
            HttpResponse<byte[]> put = other.send("PUT", location + "?digest=" + Digest.sha256(blob), null);
            assertThat(put.statusCode()).as(text(put)).isEqualTo(201);
        }
    }

    @Test
    void startUpRemovesWhatACrashLeftHalfWritten() throws Exception {
        byte[] manifest = c.image("crash", random(100, 14), ManifestCheck.OCI_MANIFEST);
        c.putManifest("crash", "v1", ManifestCheck.OCI_MANIFEST, manifest);
        String upload = header(c.send("POST", "/v2/crash/blobs/uploads/", null), "Location");
        c.send("PATCH", upload, new byte[] {1, 2, 3});
        server.close();
        // as a crash between writing and renaming leaves them
        Path tags = root.resolve("repositories/crash/_manifests/tags");
        java.nio.file.Files.writeString(tags.resolve(".v2.0b6d2c1e"), "sha256:half");
        java.nio.file.Files.writeString(root.resolve("uploads/put-7f3a"), "{\"half\":");

        server = RegistryServer.start(options(root));
        c = new RegistryClientForTests("http://127.0.0.1:" + server.port(), null);
        assertThat(tags.resolve(".v2.0b6d2c1e")).doesNotExist();
        assertThat(root.resolve("uploads/put-7f3a")).doesNotExist();
        assertThat(json(c.get("/v2/crash/tags/list")).path("tags").toString()).isEqualTo("[\"v1\"]");
        assertThat(c.get("/v2/crash/manifests/v1").body()).isEqualTo(manifest);
        // the upload in progress can still be resumed
        assertThat(header(c.get(upload), "Range")).isEqualTo("0-2");
    }
}
