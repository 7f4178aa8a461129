package dev.berth.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Reference;
import java.io.BufferedInputStream;
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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pushes an image whose blobs are all in the content store: layers (at most {@code max-concurrent-uploads} at a time),
 * then the config, then the manifest under the tag.
 *
 * <p>Each blob goes as follows. {@code HEAD /v2/<name>/blobs/<digest>}: a blob the registry has is not sent again
 * ("Layer already exists"). Else, if {@link BlobSources} knows other repositories of the same registry that hold it, a
 * cross-repository mount, {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repo>}, for up to three of them:
 * 201 means done ("Mounted from <repo>"), 202 means the registry opened an ordinary upload instead. Else an upload that
 * an earlier, interrupted push left open is asked where it stands ({@code GET <location>}, whose {@code Range} header
 * says the bytes the registry holds), or a new one is opened ({@code POST /v2/<name>/blobs/uploads/}). The content goes
 * in chunks, each a {@code PATCH} with {@code Content-Range}, and the upload's latest {@code Location} is recorded after
 * each, so a push cut off by a dropped connection or a killed daemon resumes at the registry's offset. {@code PUT
 * <location>&digest=} closes the upload.
 */
public final class Pusher {
    private static final long UPDATE_BYTES = 512 * 1024;
    /** Docker tries at most this many repositories to mount a blob from. */
    private static final int MOUNT_CANDIDATES = 3;
    static final long DEFAULT_CHUNK = 32L * 1024 * 1024;
    private static final Pattern RANGE = Pattern.compile("(?:bytes=)?0-(\\d+)");

    private final Registries registries;
    private final BlobSources sources;
    private final long chunk;
    private final Semaphore uploads;

    public Pusher(Registries registries, BlobSources sources) {
        this(registries, sources, DEFAULT_CHUNK);
    }

    Pusher(Registries registries, BlobSources sources, long chunk) {
        this.registries = registries;
        this.sources = sources;
        this.chunk = chunk;
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
                    if (foreign(b.descriptor())) {
                        progress.status(id, "Skipped foreign layer");
                        return null;
                    }
                    if (!uploads.tryAcquire()) {
                        progress.status(id, "Waiting");
                        uploads.acquire();
                    }
                    try {
                        progress.status(id, upload(client, ref, scope, b, id, progress));
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

    /**
     * A foreign (non-distributable) layer with the URLs it lives at: Docker does not upload it, the manifest names it
     * with its URLs, and a registry that pulls it sends clients there.
     */
    private static boolean foreign(Descriptor d) {
        return MediaTypes.isForeignLayer(d.mediaType()) && !d.urls().isEmpty();
    }

    private static String manifestType(List<Blob> layers) {
        for (Blob b : layers) {
            String t = b.descriptor().mediaType();
            if (!t.equals(MediaTypes.DOCKER_LAYER) && !t.equals(MediaTypes.OCI_LAYER_GZIP)
                    && !t.equals(MediaTypes.DOCKER_FOREIGN_LAYER)) {
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
            } else if (oci && t.equals(MediaTypes.DOCKER_FOREIGN_LAYER)) {
                t = MediaTypes.OCI_NONDISTRIBUTABLE_PREFIX + "v1.tar+gzip";
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
        if (!d.urls().isEmpty()) {
            d.urls().forEach(n.putArray("urls")::add);
        }
        return n;
    }

    /** Uploads a blob unless the registry has it or can mount it; returns Docker's closing status for it. */
    private String upload(RegistryClient client, Reference ref, String scope, Blob blob, String id, Progress progress)
            throws IOException {
        Digest digest = blob.descriptor().digest();
        String host = ref.domain();
        String repo = ref.path();
        HttpResponse<InputStream> head = client.send("HEAD", "/v2/" + repo + "/blobs/" + digest, Map.of(), null,
                scope);
        RegistryClient.close(head);
        if (head.statusCode() == 200) {
            sources.seen(host, repo, digest);
            return "Layer already exists";
        }
        String location = null;
        long offset = 0;
        Optional<String> open = sources.upload(host, repo, digest);
        if (open.isPresent()) {
            OptionalLong at = uploadOffset(client, open.get(), scope);
            if (at.isPresent()) {
                location = open.get();
                offset = at.getAsLong();
            } else {
                sources.upload(host, repo, digest, null);
            }
        }
        if (location == null) {
            List<String> candidates = sources.repositories(host, digest).stream().filter(r -> !r.equals(repo))
                    .limit(MOUNT_CANDIDATES).toList();
            for (String from : candidates) {
                HttpResponse<InputStream> mount = client.send("POST", "/v2/" + repo + "/blobs/uploads/?mount=" + digest
                        + "&from=" + from, Map.of(), HttpRequest.BodyPublishers.noBody(),
                        scope + " " + RegistryClient.scope(from, false));
                RegistryClient.close(mount);
                if (mount.statusCode() == 201) {
                    sources.seen(host, repo, digest);
                    return "Mounted from " + from;
                }
                if (mount.statusCode() == 202) {
                    location = location(client, mount, null);
                    break; // not mountable from there: the registry opened an ordinary upload instead
                }
            }
        }
        if (location == null) {
            HttpResponse<InputStream> start = client.send("POST", "/v2/" + repo + "/blobs/uploads/", Map.of(),
                    HttpRequest.BodyPublishers.noBody(), scope);
            if (start.statusCode() != 202) {
                throw RegistryClient.error(start);
            }
            RegistryClient.close(start);
            location = location(client, start, null);
        }
        sources.upload(host, repo, digest, location);
        long size = Files.size(blob.file());
        while (offset < size) {
            long end = Math.min(size, offset + chunk);
            long from = offset;
            HttpResponse<InputStream> patch = client.send("PATCH", location, Map.of("Content-Type",
                    "application/octet-stream", "Content-Range", from + "-" + (end - 1)),
                    HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> counting(blob.file(), from, end, size, id, progress)), end - from), scope);
            if (patch.statusCode() != 202) {
                throw RegistryClient.error(patch);
            }
            RegistryClient.close(patch);
            location = location(client, patch, location);
            sources.upload(host, repo, digest, location);
            offset = end;
        }
        String put = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        HttpResponse<InputStream> done = client.send("PUT", put, Map.of(), HttpRequest.BodyPublishers.noBody(), scope);
        if (done.statusCode() != 201) {
            throw RegistryClient.error(done);
        }
        RegistryClient.close(done);
        sources.upload(host, repo, digest, null);
        sources.seen(host, repo, digest);
        return "Pushed";
    }

    /**
     * The bytes an open upload holds, from its status ({@code GET <location>}: 204 with {@code Range: 0-<last>}); empty
     * when the registry no longer knows it (expired, cancelled, or a registry that lost it).
     */
    private static OptionalLong uploadOffset(RegistryClient client, String location, String scope) {
        HttpResponse<InputStream> r;
        try {
            r = client.send("GET", location, Map.of(), null, scope);
        } catch (RegistryException e) {
            return OptionalLong.empty();
        }
        RegistryClient.close(r);
        if (r.statusCode() != 204 && r.statusCode() != 200) {
            return OptionalLong.empty();
        }
        return r.headers().firstValue("Range").map(h -> OptionalLong.of(rangeEnd(h))).orElse(OptionalLong.of(0));
    }

    /**
     * The offset after a {@code Range: 0-<last>} header. "0-0" is what registries say of an empty upload (and of one of
     * one byte, which is then sent again and refused, so the push starts over).
     */
    private static long rangeEnd(String header) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches()) {
            return 0;
        }
        long last = Long.parseLong(m.group(1));
        return last == 0 ? 0 : last + 1;
    }

    private static String location(RegistryClient client, HttpResponse<InputStream> r, String previous)
            throws IOException {
        Optional<String> l = r.headers().firstValue("Location");
        if (l.isEmpty() && previous == null) {
            throw new IOException("the registry opened an upload without a Location");
        }
        return l.isPresent() ? resolve(client, l.get()) : previous;
    }

    private static String resolve(RegistryClient client, String location) {
        return client.base().resolve(URI.create(location)).toString();
    }

    /** Bytes {@code [from, to)} of {@code file}, reporting "Pushing" progress against {@code total}. */
    private static InputStream counting(Path file, long from, long to, long total, String id, Progress progress) {
        try {
            InputStream raw = Files.newInputStream(file);
            raw.skipNBytes(from);
            return new FilterInputStream(new BufferedInputStream(raw, 1 << 20)) {
                private long done = from;
                private long reported = from;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (done >= to) {
                        return -1;
                    }
                    int n = in.read(b, off, (int) Math.min(len, to - done));
                    if (n > 0) {
                        done += n;
                        if (id != null && (done - reported >= UPDATE_BYTES || done == total)) {
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
