package dev.berth.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A plain HTTP client for the server under test: one method per request shape, nothing clever. */
final class RegistryClientForTests {
    static final ObjectMapper JSON = new ObjectMapper();

    final String base;
    final HttpClient http;
    String authorization;

    RegistryClientForTests(String base, SSLContext ssl) {
        this.base = base;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<byte[]> head(String path) {
        return send("HEAD", path, null);
    }

    /** Monolithic upload: POST ?digest= with the content. */
    Digest pushBlob(String repo, byte[] content) {
        Digest d = Digest.sha256(content);
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, content,
                "Content-Type", "application/octet-stream");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("push blob: " + r.statusCode() + " " + text(r));
        }
        return d;
    }

    HttpResponse<byte[]> putManifest(String repo, String reference, String mediaType, byte[] manifest) {
        return send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, "Content-Type", mediaType);
    }

    /** An image manifest over a config and one layer pushed to {@code repo}; returns its bytes. */
    byte[] image(String repo, byte[] layer, String mediaType) {
        Digest config = pushBlob(repo, ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\""
                + Digest.sha256(layer).hex() + "\"}").getBytes(StandardCharsets.UTF_8));
        Digest l = pushBlob(repo, layer);
        return manifest(mediaType, config, configSize(repo, config), l, layer.length, null);
    }

    private long configSize(String repo, Digest config) {
        return Long.parseLong(head("/v2/" + repo + "/blobs/" + config).headers()
                .firstValue("Content-Length").orElseThrow());
    }

    static byte[] manifest(String mediaType, Digest config, long configSize, Digest layer, long layerSize,
                           String extra) {
        boolean oci = mediaType.equals(ManifestCheck.OCI_MANIFEST);
        String configType = oci ? "application/vnd.oci.image.config.v1+json"
                : "application/vnd.docker.container.image.v1+json";
        String layerType = oci ? "application/vnd.oci.image.layer.v1.tar"
                : "application/vnd.docker.image.rootfs.diff.tar.gzip";
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\","
                + "\"config\":{\"mediaType\":\"" + configType + "\",\"digest\":\"" + config + "\",\"size\":"
                + configSize + "},"
                + "\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + layer + "\",\"size\":"
                + layerSize + "}]" + (extra == null ? "" : "," + extra) + "}").getBytes(StandardCharsets.UTF_8);
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String errorCode(HttpResponse<byte[]> r) {
        return json(r).path("errors").path(0).path("code").asText();
    }

    static String header(HttpResponse<byte[]> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }
}
