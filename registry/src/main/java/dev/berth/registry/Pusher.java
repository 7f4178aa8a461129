package dev.berth.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Reference;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Pushes an image whose blobs are all in the content store: layers (at most {@code max-concurrent-uploads} at a time),
 * then the config, then the manifest under the tag.
 *
 * <p>Each blob goes as the distribution spec's streamed upload: {@code HEAD /v2/<name>/blobs/<digest>} first (a blob the
 * registry has is not sent again: "Layer already exists"), else {@code POST /v2/<name>/blobs/uploads/} to open an upload,
 * one {@code PATCH} with the content to the {@code Location} it returned, and {@code PUT <location>&digest=} to close it.
 */
public final class Pusher {
    private static final long UPDATE_BYTES = 512 * 1024;

    private final Registries registries;
    private final Semaphore uploads;

    public Pusher(Registries registries) {
        this.registries = registries;
        this.uploads = new Semaphore(registries.config().maxConcurrentUploads(), true);
    }

    /** A blob to push and the file that holds it. */
    public record Blob(Descriptor descriptor, Path file) {}

    /** What a push left in the registry: the manifest's digest and size. */
    public record Pushed(Digest digest, int size) {}

    /**
     * Pushes {@code layers} (bottom first) and {@code config} and puts a manifest naming them under {@code ref}'s tag.
     * The manifest is Docker's schema 2 when every layer is gzip (as Docker pushes), else an OCI manifest.
     */
    public Pushed push(Reference ref, Credentials credentials, Blob config, List<Blob> layers, Progress progress)
            throws IOException {
        RegistryClient client = registries.client(ref.domain(), credentials);
        String scope = RegistryClient.scope(ref.path(), true);
        for (int i = layers.size() - 1; i >= 0; i--) {
            progress.status(Puller.shortId(layers.get(i).descriptor().digest()), "Preparing");
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> tasks = new ArrayList<>();
            for (int i = layers.size() - 1; i >= 0; i--) {
                Blob b = layers.get(i);
                tasks.add(pool.submit(() -> {
                    String id = Puller.shortId(b.descriptor().digest());
                    if (!uploads.tryAcquire()) {
                        progress.status(id, "Waiting");
                        uploads.acquire();
                    }
                    try {
                        if (upload(client, ref, scope, b, id, progress)) {
                            progress.status(id, "Pushed");
                        } else {
                            progress.status(id, "Layer already exists");
                        }
                    } finally {
                        uploads.release();
                    }
                    return null;
                }));
            }
            for (Future<Void> t : tasks) {
                try {
                    t.get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("push interrupted", e);
                }
            }
        }
        upload(client, ref, scope, config, null, Progress.NONE);
        byte[] manifest = manifest(config.descriptor(), layers);
        boolean oci = manifestType(layers).equals(MediaTypes.OCI_MANIFEST);
        HttpResponse<InputStream> r = client.send("PUT", "/v2/" + ref.path() + "/manifests/" + ref.tag(),
                Map.of("Content-Type", oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST),
                HttpRequest.BodyPublishers.ofByteArray(manifest), scope);
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw RegistryClient.error(r);
        }
        RegistryClient.close(r);
        return new Pushed(Digest.sha256(manifest), manifest.length);
    }

    private static String manifestType(List<Blob> layers) {
        for (Blob b : layers) {
            String t = b.descriptor().mediaType();
            if (!t.equals(MediaTypes.DOCKER_LAYER) && !t.equals(MediaTypes.OCI_LAYER_GZIP)) {
                return MediaTypes.OCI_MANIFEST;
            }
        }
        return MediaTypes.DOCKER_MANIFEST;
    }

    /** The manifest's JSON, in the field order Docker writes. */
    static byte[] manifest(Descriptor config, List<Blob> layers) {
        boolean oci = manifestType(layers).equals(MediaTypes.OCI_MANIFEST);
        ObjectNode m = RegistryClient.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST);
        m.set("config", descriptor(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, config));
        ArrayNode ls = m.putArray("layers");
        for (Blob b : layers) {
            String t = b.descriptor().mediaType();
            if (oci && t.equals(MediaTypes.DOCKER_LAYER)) {
                t = MediaTypes.OCI_LAYER_GZIP;
            }
            ls.add(descriptor(t, b.descriptor()));
        }
        try {
            return RegistryClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode descriptor(String mediaType, Descriptor d) {
        ObjectNode n = RegistryClient.JSON.createObjectNode();
        n.put("mediaType", mediaType);
        n.put("size", d.size());
        n.put("digest", d.digest().toString());
        return n;
    }

    /** Uploads a blob unless the registry has it; returns false when it had it. */
    private boolean upload(RegistryClient client, Reference ref, String scope, Blob blob, String id, Progress progress)
            throws IOException {
        Digest digest = blob.descriptor().digest();
        HttpResponse<InputStream> head = client.send("HEAD", "/v2/" + ref.path() + "/blobs/" + digest, Map.of(), null,
                scope);
        RegistryClient.close(head);
        if (head.statusCode() == 200) {
            return false;
        }
        HttpResponse<InputStream> start = client.send("POST", "/v2/" + ref.path() + "/blobs/uploads/", Map.of(),
                HttpRequest.BodyPublishers.noBody(), scope);
        if (start.statusCode() != 202) {
            throw RegistryClient.error(start);
        }
        RegistryClient.close(start);
        String location = resolve(client, start.headers().firstValue("Location").orElseThrow(
                () -> new IOException("the registry opened an upload without a Location")));
        long size = Files.size(blob.file());
        HttpResponse<InputStream> patch = client.send("PATCH", location, Map.of("Content-Type",
                "application/octet-stream"), HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> counting(blob.file(), size, id, progress)), size),
                scope);
        if (patch.statusCode() != 202) {
            throw RegistryClient.error(patch);
        }
        RegistryClient.close(patch);
        String next = resolve(client, patch.headers().firstValue("Location").orElse(location));
        String put = next + (next.contains("?") ? "&" : "?") + "digest=" + digest;
        HttpResponse<InputStream> done = client.send("PUT", put, Map.of(), HttpRequest.BodyPublishers.noBody(), scope);
        if (done.statusCode() != 201) {
            throw RegistryClient.error(done);
        }
        RegistryClient.close(done);
        return true;
    }

    private static String resolve(RegistryClient client, String location) {
        return client.base().resolve(URI.create(location)).toString();
    }

    private static InputStream counting(Path file, long total, String id, Progress progress) {
        try {
            return new FilterInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                private long done;
                private long reported;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0 && id != null) {
                        done += n;
                        if (done - reported >= UPDATE_BYTES || done == total) {
                            reported = done;
                            progress.update(id, "Pushing", done, total);
                        }
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
