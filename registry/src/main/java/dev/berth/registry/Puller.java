package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Index;
import dev.berth.oci.Manifest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;
import dev.berth.store.NoSpaceException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * Pulls an image: resolves the reference to a manifest for the wanted platform, fetches the config, then fetches the
 * missing layers, at most {@code max-concurrent-downloads} at a time. Each layer is digested, written to the content
 * store and decompressed and unpacked into the layer store in one pass over the network stream; the layer is renamed into
 * place only once both the blob digest and the diff id check out. One syncfs at the end makes all of it durable before
 * the caller records the image.
 *
 * <p>A layer blob being fetched by one pull is not fetched again by a concurrent one: the second waits for the first and
 * then finds the layer in place. A transfer that breaks keeps its ingest file, and the next pull asks for the rest with
 * an HTTP Range request.
 */
public final class Puller {
    private static final long UPDATE_BYTES = 512 * 1024;

    private final Registries registries;
    private final ContentStore content;
    private final LayerStore layers;
    private final Semaphore downloads;
    private final Map<Digest, CompletableFuture<Void>> inflight = new ConcurrentHashMap<>();

    public Puller(Registries registries, ContentStore content, LayerStore layers) {
        this.registries = registries;
        this.content = content;
        this.layers = layers;
        this.downloads = new Semaphore(registries.config().maxConcurrentDownloads(), true);
    }

    /**
     * What a pull brought: the manifest it resolved to (its digest is the image's repo digest), the config, and per layer
     * the blob it came from.
     */
    public record Pulled(Digest manifestDigest, Digest configDigest, byte[] config, List<Descriptor> layers,
            List<String> diffIds, List<String> chainIds, boolean hadImage, Map<String, Long> unpackedSizes) {}

    /** A manifest as fetched. */
    private record Fetched(byte[] bytes, String mediaType, Digest digest) {}

    /**
     * Pulls {@code ref}. {@code haveImage} says whether an image (config digest) is already stored, in which case no layer
     * is fetched. Throws {@link RegistryException} with Docker's message when the registry refuses.
     */
    public Pulled pull(Reference ref, Platform platform, Credentials credentials, Predicate<Digest> haveImage,
            Progress progress) throws IOException {
        RegistryException first = null;
        for (RegistryClient client : registries.pullEndpoints(ref.domain(), credentials)) {
            Fetched top;
            try {
                top = resolve(client, ref, ref.digest() != null ? ref.digest().toString() : ref.tag(), ref.digest());
            } catch (RegistryException e) {
                if (first == null || client.host().equals(ref.domain()) && first.kind() == RegistryException.Kind.UNAVAILABLE) {
                    first = e;
                }
                continue; // a mirror that fails is skipped, as Docker does
            }
            return pull(client, ref, top, platform, haveImage, progress);
        }
        throw translate(first, ref);
    }

    private Pulled pull(RegistryClient client, Reference ref, Fetched top, Platform platform,
            Predicate<Digest> haveImage, Progress progress) throws IOException {
        Fetched fetched = top;
        if (MediaTypes.isIndex(top.mediaType())) {
            Index index = Manifests.index(top.bytes(), top.mediaType());
            Descriptor chosen = index.select(platform).orElseThrow(() -> new RegistryException(
                    RegistryException.Kind.NOT_FOUND, "no matching manifest for " + platform
                            + " in the manifest list entries"));
            fetched = resolve(client, ref, chosen.digest().toString(), chosen.digest());
        }
        if (!MediaTypes.isManifest(fetched.mediaType())) {
            throw new RegistryException(RegistryException.Kind.INVALID, "unsupported manifest media type "
                    + fetched.mediaType() + " for " + ref.familiar());
        }
        Manifest manifest = Manifests.manifest(fetched.bytes(), fetched.mediaType());
        String tagOrDigest = ref.digest() != null ? ref.digest().toString() : ref.tag();
        progress.status(tagOrDigest, "Pulling from " + ref.path());
        byte[] config = config(client, ref, manifest.config());
        List<String> diffIds = Manifests.diffIds(config);
        if (diffIds.size() != manifest.layers().size()) {
            throw new RegistryException(RegistryException.Kind.INVALID, "layers from manifest don't match image"
                    + " configuration");
        }
        List<String> chainIds = layers.chainIds(diffIds);
        content.put(top.bytes());
        if (fetched != top) {
            content.put(fetched.bytes());
        }
        boolean hadImage = haveImage.test(manifest.config().digest());
        Map<String, Long> sizes = new ConcurrentHashMap<>();
        if (!hadImage) {
            fetchLayers(client, ref, manifest.layers(), diffIds, chainIds, progress, sizes);
        }
        return new Pulled(top.digest(), manifest.config().digest(), config, manifest.layers(), diffIds, chainIds,
                hadImage, Map.copyOf(sizes));
    }

    /** The repository's tags ({@code pull -a}), from {@code /v2/<name>/tags/list}. */
    public List<String> tags(Reference ref, Credentials credentials) throws IOException {
        RegistryClient client = registries.client(ref.domain(), credentials);
        HttpResponse<InputStream> r = client.send("GET", "/v2/" + ref.path() + "/tags/list", Map.of(), null,
                RegistryClient.scope(ref.path(), false));
        if (r.statusCode() != 200) {
            throw translate(RegistryClient.error(r), ref);
        }
        List<String> out = new ArrayList<>();
        try (InputStream in = r.body()) {
            RegistryClient.JSON.readTree(in.readNBytes(Manifests.MAX_MANIFEST)).path("tags").forEach(t -> out.add(t.asText()));
        }
        return out;
    }

    private Fetched resolve(RegistryClient client, Reference ref, String reference, Digest expected) throws IOException {
        HttpResponse<InputStream> r = client.send("GET", "/v2/" + ref.path() + "/manifests/" + reference,
                Map.of("Accept", String.join(", ", MediaTypes.MANIFEST_ACCEPT)), null,
                RegistryClient.scope(ref.path(), false));
        if (r.statusCode() != 200) {
            throw RegistryClient.error(r);
        }
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(Manifests.MAX_MANIFEST + 1);
        }
        if (bytes.length > Manifests.MAX_MANIFEST) {
            throw new RegistryException(RegistryException.Kind.INVALID, "manifest for " + ref.familiar()
                    + " is larger than " + Manifests.MAX_MANIFEST + " bytes");
        }
        Digest actual = Digest.sha256(bytes);
        if (expected != null && !actual.equals(expected)) {
            throw new RegistryException(RegistryException.Kind.INVALID, "manifest verification failed for digest "
                    + expected);
        }
        String type = Manifests.mediaType(bytes, r.headers().firstValue("Content-Type").orElse(""));
        return new Fetched(bytes, type, actual);
    }

    private byte[] config(RegistryClient client, Reference ref, Descriptor d) throws IOException {
        if (d.size() > Manifests.MAX_CONFIG) {
            throw new RegistryException(RegistryException.Kind.INVALID, "image config " + d.digest() + " is larger than "
                    + Manifests.MAX_CONFIG + " bytes");
        }
        var have = content.read(d.digest());
        if (have.isPresent()) {
            return have.get();
        }
        HttpResponse<InputStream> r = client.send("GET", "/v2/" + ref.path() + "/blobs/" + d.digest(), Map.of(), null,
                RegistryClient.scope(ref.path(), false));
        if (r.statusCode() != 200) {
            throw RegistryClient.error(r);
        }
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(Manifests.MAX_CONFIG + 1);
        }
        if (!Digest.sha256(bytes).equals(d.digest())) {
            throw new RegistryException(RegistryException.Kind.INVALID, "image config verification failed for digest "
                    + d.digest());
        }
        content.put(bytes);
        return bytes;
    }

    private void fetchLayers(RegistryClient client, Reference ref, List<Descriptor> blobs, List<String> diffIds,
            List<String> chainIds, Progress progress, Map<String, Long> sizes) throws IOException {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            String id = shortId(blobs.get(i).digest());
            if (layers.exists(chainIds.get(i))) {
                progress.status(id, "Already exists");
            } else if (!missing.stream().map(j -> chainIds.get(j)).toList().contains(chainIds.get(i))) {
                progress.status(id, "Pulling fs layer");
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> tasks = new ArrayList<>();
            for (int i : missing) {
                tasks.add(pool.submit(() -> {
                    layer(client, ref, blobs.get(i), diffIds.get(i), chainIds.get(i), progress, sizes);
                    return null;
                }));
            }
            IOException failure = null;
            for (Future<Void> t : tasks) {
                try {
                    t.get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = asIo(e.getCause());
                        pool.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    pool.shutdownNow();
                    throw new IOException("pull interrupted", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
        layers.sync();
    }

    private static IOException asIo(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        return t instanceof IOException io ? io : new IOException(t.getMessage(), t);
    }

    /** Fetches and unpacks one layer, or waits for a concurrent pull that is already doing it. */
    private void layer(RegistryClient client, Reference ref, Descriptor blob, String diffId, String chainId,
            Progress progress, Map<String, Long> sizes) throws IOException, InterruptedException {
        String id = shortId(blob.digest());
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> theirs = inflight.putIfAbsent(blob.digest(), mine);
        if (theirs != null) {
            progress.status(id, "Waiting");
            try {
                theirs.get();
            } catch (ExecutionException e) {
                // the other pull failed: this one tries for itself below
            }
            layer(client, ref, blob, diffId, chainId, progress, sizes);
            return;
        }
        try {
            if (!layers.exists(chainId)) {
                boolean queued = !downloads.tryAcquire();
                if (queued) {
                    progress.status(id, "Waiting");
                    downloads.acquire();
                }
                try {
                    sizes.put(chainId, transfer(client, ref, blob, diffId, chainId, progress, id));
                } finally {
                    downloads.release();
                }
            }
            progress.status(id, "Pull complete");
            mine.complete(null);
        } catch (Throwable e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(blob.digest(), mine);
        }
    }

    /**
     * Returns the bytes unpacked. A full disk fails the layer as Docker's does ("failed to register layer: write ...:
     * no space left on device"), with nothing of it left in the layer store and its ingest file gone.
     */
    private long transfer(RegistryClient client, Reference ref, Descriptor blob, String diffId, String chainId,
            Progress progress, String id) throws IOException {
        try {
            return fetchAndUnpack(client, ref, blob, diffId, chainId, progress, id);
        } catch (IOException e) {
            if (NoSpaceException.isNoSpace(e)) {
                throw new IOException("failed to register layer: "
                        + NoSpaceException.named(e, layers.diffDir(chainId)).getMessage(), e);
            }
            throw e;
        }
    }

    private long fetchAndUnpack(RegistryClient client, Reference ref, Descriptor blob, String diffId, String chainId,
            Progress progress, String id) throws IOException {
        if (content.has(blob.digest())) {
            try (InputStream in = Files.newInputStream(content.path(blob.digest()))) {
                return layers.unpackExpected(new java.io.BufferedInputStream(in, 1 << 20), chainId, diffId, () -> { })
                        .size();
            }
        }
        try (ContentStore.Ingest ingest = content.ingest(blob.digest())) {
            long offset = ingest.offset();
            Map<String, String> headers = offset > 0 && offset < blob.size() ? Map.of("Range", "bytes=" + offset + "-")
                    : Map.of();
            HttpResponse<InputStream> r = client.send("GET", "/v2/" + ref.path() + "/blobs/" + blob.digest(), headers,
                    null, RegistryClient.scope(ref.path(), false));
            if (r.statusCode() != 200 && r.statusCode() != 206 && !blob.urls().isEmpty()) {
                RegistryClient.close(r);
                r = foreign(client, blob);
            }
            if (r.statusCode() != 200 && r.statusCode() != 206) {
                throw RegistryClient.error(r);
            }
            if (r.statusCode() == 200 && ingest.offset() > 0) {
                ingest.restart(); // the registry sends the whole blob
            }
            long start = ingest.offset();
            InputStream network = new Tee(r.body(), ingest, start, blob.size(), id, progress);
            InputStream source = start > 0 ? new SequenceInputStream(ingest.existing(), network) : network;
            try (source) {
                return layers.unpackExpected(source, chainId, diffId, () -> {
                    progress.status(id, "Verifying Checksum");
                    try {
                        ingest.commit(blob.size());
                    } catch (IOException e) {
                        throw new IOException("filesystem layer verification failed for digest " + blob.digest(), e);
                    }
                    progress.status(id, "Download complete");
                    progress.update(id, "Extracting", blob.size(), blob.size());
                }).size();
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("diff id mismatch")) {
                    ingest.discard();
                }
                throw e;
            }
        }
    }

    /**
     * A foreign (non-distributable) layer the registry does not hold, from the first of the descriptor's http or https
     * URLs that serves it, as Docker fetches one; no credentials go there. The caller verifies the digest as it would
     * a registry's blob. Returns the last URL's refusal when none serves it.
     */
    private static HttpResponse<InputStream> foreign(RegistryClient client, Descriptor blob) {
        RegistryException failure = new RegistryException(RegistryException.Kind.NOT_FOUND, "foreign layer "
                + blob.digest() + " has no http or https URL to fetch it from");
        for (String url : blob.urls()) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                continue;
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                continue;
            }
            try {
                HttpResponse<InputStream> r = client.fetchUnauthenticated(uri);
                if (r.statusCode() == 200) {
                    return r;
                }
                RegistryClient.close(r);
                failure = new RegistryException(RegistryException.Kind.UNAVAILABLE, "error fetching foreign layer "
                        + blob.digest() + " from " + url + ": unexpected status code " + r.statusCode());
            } catch (RegistryException e) {
                failure = e;
            }
        }
        throw failure;
    }

    /** Docker's short layer ID: the first 12 hex digits of the blob digest. */
    static String shortId(Digest d) {
        return d.hex().substring(0, 12);
    }

    /** Copies what is read into the ingest and reports the bytes as "Downloading" progress. */
    private static final class Tee extends FilterInputStream {
        private final ContentStore.Ingest ingest;
        private final long total;
        private final String id;
        private final Progress progress;
        private long done;
        private long reported;

        Tee(InputStream in, ContentStore.Ingest ingest, long start, long total, String id, Progress progress) {
            super(in);
            this.ingest = ingest;
            this.done = start;
            this.total = total;
            this.id = id;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                ingest.write(b, off, n);
                done += n;
                if (done - reported >= UPDATE_BYTES || done == total) {
                    reported = done;
                    progress.update(id, "Downloading", done, total);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(0);
        }
    }

    /** Docker's wording for a pull the registry refused (distribution/errors.go translatePullError). */
    static RegistryException translate(RegistryException e, Reference ref) {
        String message = switch (e.code()) {
            case "DENIED", "UNAUTHORIZED" -> e.kind() == RegistryException.Kind.UNAUTHORIZED && e.code().equals("UNAUTHORIZED")
                    && !e.getMessage().startsWith("unauthorized") ? e.getMessage()
                    : "pull access denied for " + ref.familiarName()
                            + ", repository does not exist or may require 'docker login': " + e.getMessage();
            case "MANIFEST_UNKNOWN" -> "manifest for " + ref.familiar() + " not found: " + e.getMessage();
            case "NAME_UNKNOWN" -> "repository " + ref.familiarName() + " not found: " + e.getMessage();
            default -> null;
        };
        if (message == null) {
            return e;
        }
        RegistryException.Kind kind = e.code().equals("MANIFEST_UNKNOWN") || e.code().equals("NAME_UNKNOWN")
                ? RegistryException.Kind.NOT_FOUND : e.kind();
        return new RegistryException(kind, message, e, e.code());
    }
}
