package dev.berth.registry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedFile;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution API, one request at a time per connection. Request bodies stream: blob uploads go straight to
 * their file as they arrive, manifests are collected up to {@link ManifestCheck#MAX_SIZE}. The answer is sent once
 * the whole request is read, so an error found from the headers alone still lets the connection be reused.
 */
final class RegistryHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(RegistryHandler.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d{1,18})-(\\d{1,18})(?:/.*)?");

    private final RegistryStorage storage;
    private final Uploads uploads;
    private final Htpasswd htpasswd;
    /** Where one line per answered request goes, or null. */
    private final Consumer<String> accessLog;

    /** The request being read on this connection. */
    private Exchange exchange;
    /** The context while {@link #finish} answers (handlers of one connection run on one thread). */
    private ChannelHandlerContext ctx;

    RegistryHandler(RegistryStorage storage, Uploads uploads, Htpasswd htpasswd, Consumer<String> accessLog) {
        this.storage = storage;
        this.uploads = uploads;
        this.htpasswd = htpasswd;
        this.accessLog = accessLog;
    }

    /** One request: what it asked, where its body goes, and the error found so far. */
    private final class Exchange {
        final HttpRequest request;
        final HttpMethod method;
        final String path;
        final QueryStringDecoder query;
        RegistryError error;
        String user;
        Uploads.Upload upload;
        ByteArrayOutputStream manifest;
        Runnable action;
        final long started = System.nanoTime();

        Exchange(HttpRequest request) {
            this.request = request;
            this.method = request.method();
            this.query = new QueryStringDecoder(request.uri());
            this.path = query.path();
        }

        String param(String name) {
            List<String> v = query.parameters().get(name);
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        void body(ByteBuf content) throws IOException {
            if (error != null || !content.isReadable()) {
                return;
            }
            if (upload != null) {
                for (ByteBuffer b : content.nioBuffers()) {
                    upload.write(b);
                }
            } else if (manifest != null) {
                if (manifest.size() + content.readableBytes() > ManifestCheck.MAX_SIZE) {
                    manifest = null;
                    error = new RegistryError(413, "SIZE_INVALID",
                            "manifest is larger than " + ManifestCheck.MAX_SIZE + " bytes");
                    return;
                }
                content.getBytes(content.readerIndex(), manifest, content.readableBytes());
            }
        }

        void release() {
            if (upload != null) {
                upload.close();
                upload = null;
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                exchange = new Exchange(req);
                if (req.decoderResult().isFailure()) {
                    exchange.error = new RegistryError(400, "UNSUPPORTED", "malformed request");
                } else {
                    try {
                        exchange.user = authenticate(req);
                        begin(exchange);
                    } catch (RegistryError e) {
                        exchange.error = e;
                    } catch (IOException | RuntimeException e) {
                        exchange.error = internal(e);
                    }
                }
            }
            if (msg instanceof HttpContent content && exchange != null) {
                Exchange ex = exchange;
                try {
                    ex.body(content.content());
                } catch (IOException | RuntimeException e) {
                    ex.error = internal(e);
                }
                if (content instanceof LastHttpContent) {
                    exchange = null;
                    finish(ctx, ex);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.release();
            exchange = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "connection error", cause);
        ctx.close();
    }

    private static RegistryError internal(Exception e) {
        LOG.log(Level.WARNING, "registry request failed", e);
        return new RegistryError(500, "UNKNOWN", "unknown error: " + e.getMessage());
    }

    /** The user the request authenticates as (null without htpasswd). */
    private String authenticate(HttpRequest req) {
        if (htpasswd == null) {
            return null;
        }
        return htpasswd.authenticate(req.headers().get(HttpHeaderNames.AUTHORIZATION))
                .orElseThrow(() -> new RegistryError(401, "UNAUTHORIZED", "authentication required",
                        Map.of("WWW-Authenticate", "Basic realm=\"" + htpasswd.realm() + "\"")));
    }

    // ------------------------------------------------------------------ routing

    /** Decides from the headers where the body goes; the work that needs the whole body runs in {@link #finish}. */
    private void begin(Exchange ex) throws IOException {
        String p = ex.path;
        HttpMethod m = ex.method;
        Matcher mt;
        if (p.equals("/v2/") || p.equals("/v2")) {
            ex.action = () -> reply(ex, 200, Map.of("Content-Type", "application/json"), bytes("{}"));
        } else if (p.equals("/v2/_catalog")) {
            only(m, HttpMethod.GET);
            ex.action = () -> catalog(ex);
        } else if (p.equals("/v1/search")) {
            only(m, HttpMethod.GET);
            ex.action = () -> search(ex);
        } else if ((mt = UPLOADS.matcher(p)).matches()) {
            String name = name(mt.group(1));
            only(m, HttpMethod.POST);
            beginPost(ex, name);
        } else if ((mt = UPLOAD.matcher(p)).matches()) {
            String name = name(mt.group(1));
            String uuid = mt.group(2);
            beginUpload(ex, name, uuid);
        } else if ((mt = BLOB.matcher(p)).matches()) {
            String name = name(mt.group(1));
            Digest d = digest(mt.group(2));
            if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) {
                ex.action = () -> getBlob(ex, name, d);
            } else if (m.equals(HttpMethod.DELETE)) {
                ex.action = () -> deleteBlob(ex, name, d);
            } else {
                throw RegistryError.unsupported(m + " on a blob");
            }
        } else if ((mt = MANIFEST.matcher(p)).matches()) {
            String name = name(mt.group(1));
            String reference = mt.group(2);
            if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) {
                ex.action = () -> getManifest(ex, name, reference);
            } else if (m.equals(HttpMethod.PUT)) {
                ex.manifest = new ByteArrayOutputStream();
                ex.action = () -> putManifest(ex, name, reference);
            } else if (m.equals(HttpMethod.DELETE)) {
                ex.action = () -> deleteManifest(ex, name, reference);
            } else {
                throw RegistryError.unsupported(m + " on a manifest");
            }
        } else if ((mt = TAGS.matcher(p)).matches()) {
            String name = name(mt.group(1));
            only(m, HttpMethod.GET);
            ex.action = () -> tags(ex, name);
        } else if ((mt = REFERRERS.matcher(p)).matches()) {
            String name = name(mt.group(1));
            Digest d = digest(mt.group(2));
            only(m, HttpMethod.GET);
            ex.action = () -> referrers(ex, name, d);
        } else {
            throw new RegistryError(404, "NOT_FOUND", "page not found: " + p);
        }
    }

    private void finish(ChannelHandlerContext ctx, Exchange ex) {
        this.ctx = ctx;
        try {
            if (ex.error != null) {
                throw ex.error;
            }
            ex.action.run();
        } catch (RegistryError e) {
            sendError(ex, e);
        } catch (RuntimeException e) {
            sendError(ex, internal(e));
        } finally {
            ex.release();
            this.ctx = null;
        }
    }

    private static void only(HttpMethod m, HttpMethod allowed) {
        if (!m.equals(allowed)) {
            throw RegistryError.unsupported(m.name());
        }
    }

    private static String name(String name) {
        if (!RegistryStorage.NAME.matcher(name).matches() || name.length() > 255) {
            throw RegistryError.nameInvalid(name);
        }
        return name;
    }

    private static Digest digest(String s) {
        try {
            return Digest.parse(s);
        } catch (IllegalArgumentException e) {
            throw new RegistryError(400, "DIGEST_INVALID", "invalid digest: " + s);
        }
    }

    // ------------------------------------------------------------------ base, catalog, tags

    private void catalog(Exchange ex) {
        List<String> all = io(storage::repositories);
        page(ex, all, "/v2/_catalog", "repositories", null);
    }

    /**
     * Docker Hub's search API ({@code GET /v1/search?q=&n=}), which {@code docker search} speaks: the repositories of
     * the catalog whose name contains the query, with no description and no stars (this registry keeps neither).
     */
    private void search(Exchange ex) {
        String q = ex.param("q") == null ? "" : ex.param("q");
        int n = 25;
        if (ex.param("n") != null) {
            try {
                n = Math.clamp(Integer.parseInt(ex.param("n")), 1, 100);
            } catch (NumberFormatException e) {
                throw RegistryError.paginationInvalid(ex.param("n"));
            }
        }
        List<String> found = io(storage::repositories).stream().filter(r -> r.contains(q)).toList();
        ObjectNode body = JSON.createObjectNode();
        body.put("num_results", found.size());
        body.put("query", q);
        ArrayNode results = body.putArray("results");
        for (String r : found.subList(0, Math.min(n, found.size()))) {
            results.addObject().put("name", r).put("description", "").put("star_count", 0).put("is_official", false)
                    .put("is_automated", false);
        }
        reply(ex, 200, Map.of("Content-Type", "application/json"), json(body));
    }

    private void tags(Exchange ex, String name) {
        if (!storage.repoExists(name)) {
            throw RegistryError.nameUnknown(name);
        }
        page(ex, io(() -> storage.tags(name)), "/v2/" + name + "/tags/list", "tags", name);
    }

    /** Pagination as the spec has it: {@code n} entries after {@code last}, and a Link header if more follow. */
    private void page(Exchange ex, List<String> all, String path, String field, String name) {
        String last = ex.param("last");
        String nParam = ex.param("n");
        List<String> rest = last == null ? all : all.stream().filter(s -> s.compareTo(last) > 0).toList();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (nParam != null) {
            int n;
            try {
                n = Integer.parseInt(nParam);
            } catch (NumberFormatException e) {
                throw RegistryError.paginationInvalid(nParam);
            }
            if (n < 0) {
                throw RegistryError.paginationInvalid(nParam);
            }
            if (rest.size() > n) {
                rest = rest.subList(0, n);
                if (n > 0) {
                    headers.put("Link", "<" + path + "?last=" + rest.getLast() + "&n=" + n + ">; rel=\"next\"");
                }
            }
        }
        ObjectNode body = JSON.createObjectNode();
        if (name != null) {
            body.put("name", name);
        }
        ArrayNode arr = body.putArray(field);
        rest.forEach(arr::add);
        reply(ex, 200, headers, json(body));
    }

    // ------------------------------------------------------------------ blobs

    private void getBlob(Exchange ex, String name, Digest d) {
        if (!storage.hasBlob(name, d)) {
            throw RegistryError.blobUnknown(d.toString());
        }
        long size = io(() -> storage.blobSize(d));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Docker-Content-Digest", d.toString());
        headers.put("Accept-Ranges", "bytes");
        headers.put("ETag", "\"" + d + "\"");
        if (ex.method.equals(HttpMethod.HEAD)) {
            // a client asking before it decides not to upload: keep the blob past the next collection
            storage.touch(d);
            headers.put("Content-Length", Long.toString(size));
            reply(ex, 200, headers, new byte[0]);
            return;
        }
        long start = 0;
        long end = size - 1;
        int status = 200;
        String range = ex.request.headers().get(HttpHeaderNames.RANGE);
        if (range != null) {
            Matcher rm = RANGE.matcher(range.trim());
            boolean ok = rm.matches() && !(rm.group(1).isEmpty() && rm.group(2).isEmpty());
            if (ok) {
                if (rm.group(1).isEmpty()) {
                    start = Math.max(0, size - Long.parseLong(rm.group(2)));
                } else {
                    start = Long.parseLong(rm.group(1));
                    if (!rm.group(2).isEmpty()) {
                        end = Math.min(end, Long.parseLong(rm.group(2)));
                    }
                }
                ok = start < size && start <= end;
            }
            if (!ok) {
                throw new RegistryError(416, "BLOB_UNKNOWN", "requested range not satisfiable: " + range,
                        Map.of("Content-Range", "bytes */" + size));
            }
            status = 206;
            headers.put("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        sendFile(ex, status, headers, d, start, end - start + 1);
    }

    private void deleteBlob(Exchange ex, String name, Digest d) {
        if (!Files.exists(storage.layerLink(name, d))) {
            throw RegistryError.blobUnknown(d.toString());
        }
        io(() -> {
            Files.deleteIfExists(storage.layerLink(name, d));
            return null;
        });
        reply(ex, 202, Map.of("Content-Length", "0"), new byte[0]);
    }

    // ------------------------------------------------------------------ uploads

    private void beginPost(Exchange ex, String name) throws IOException {
        String mount = ex.param("mount");
        String from = ex.param("from");
        String digestParam = ex.param("digest");
        if (mount != null && from != null) {
            Digest d = digest(mount);
            if (RegistryStorage.NAME.matcher(from).matches() && mountBlob(name, from, d)) {
                ex.action = () -> created(ex, name, d);
                return;
            }
            // not mountable: the spec says to start an ordinary upload instead
        }
        String uuid = uploads.create(name);
        if (digestParam != null) {
            Digest d = digest(digestParam);
            ex.upload = uploads.acquire(name, uuid).orElseThrow(RegistryError::uploadUnknown);
            ex.action = () -> complete(ex, name, d);
        } else {
            ex.action = () -> uploadStatus(ex, 202, name, uuid, 0);
        }
    }

    private boolean mountBlob(String name, String from, Digest d) throws IOException {
        Lock lock = storage.gcLock().readLock();
        lock.lock();
        try {
            if (!storage.hasBlob(from, d)) {
                return false;
            }
            storage.touch(d);
            storage.linkBlob(name, d);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void beginUpload(Exchange ex, String name, String uuid) throws IOException {
        HttpMethod m = ex.method;
        if (m.equals(HttpMethod.GET)) {
            long size = io(() -> Files.size(
                    storage.upload(name, uuid).orElseThrow(RegistryError::uploadUnknown)));
            ex.action = () -> uploadStatus(ex, 204, name, uuid, size);
            return;
        }
        if (m.equals(HttpMethod.DELETE)) {
            if (storage.upload(name, uuid).isEmpty()) {
                throw RegistryError.uploadUnknown();
            }
            ex.action = () -> {
                io(() -> {
                    storage.deleteUpload(uuid);
                    return null;
                });
                reply(ex, 204, Map.of(), new byte[0]);
            };
            return;
        }
        if (!m.equals(HttpMethod.PATCH) && !m.equals(HttpMethod.PUT)) {
            throw RegistryError.unsupported(m + " on an upload");
        }
        Digest d = m.equals(HttpMethod.PUT) ? digestParam(ex) : null;
        Uploads.Upload u = uploads.acquire(name, uuid).orElseThrow(RegistryError::uploadUnknown);
        ex.upload = u;
        String contentRange = ex.request.headers().get("Content-Range");
        if (contentRange != null) {
            Matcher cr = CONTENT_RANGE.matcher(contentRange.trim());
            if (!cr.matches() || Long.parseLong(cr.group(1)) != u.size
                    || Long.parseLong(cr.group(2)) < Long.parseLong(cr.group(1))) {
                Map<String, String> h = new LinkedHashMap<>(uploadHeaders(name, uuid, u.size));
                throw new RegistryError(416, "BLOB_UPLOAD_INVALID",
                        "content range " + contentRange + " does not start at " + u.size, h);
            }
        }
        if (d != null) {
            ex.action = () -> complete(ex, name, d);
        } else {
            ex.action = () -> uploadStatus(ex, 202, name, uuid, u.size);
        }
    }

    private static Digest digestParam(Exchange ex) {
        String s = ex.param("digest");
        if (s == null) {
            throw RegistryError.digestInvalid("no digest parameter");
        }
        return digest(s);
    }

    private void uploadStatus(Exchange ex, int status, String name, String uuid, long size) {
        Map<String, String> h = new LinkedHashMap<>(uploadHeaders(name, uuid, size));
        h.put("Content-Length", "0");
        reply(ex, status, h, new byte[0]);
    }

    private static Map<String, String> uploadHeaders(String name, String uuid, long size) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", "/v2/" + name + "/blobs/uploads/" + uuid);
        h.put("Range", "0-" + Math.max(0, size - 1));
        h.put("Docker-Upload-UUID", uuid);
        return h;
    }

    /** The last request of an upload: check the digest, move the content into place, link it to the repository. */
    private void complete(Exchange ex, String name, Digest expected) {
        Uploads.Upload u = ex.upload;
        Digest actual = io(() -> u.digest(expected.algorithm()));
        if (!actual.equals(expected)) {
            io(() -> {
                u.finish();
                return null;
            });
            throw RegistryError.digestInvalid("expected " + expected + ", got " + actual);
        }
        Lock lock = storage.gcLock().readLock();
        lock.lock();
        try {
            io(() -> {
                storage.commitBlob(u.data, expected);
                storage.linkBlob(name, expected);
                u.finish();
                return null;
            });
        } finally {
            lock.unlock();
        }
        created(ex, name, expected);
    }

    private void created(Exchange ex, String name, Digest d) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", "/v2/" + name + "/blobs/" + d);
        h.put("Docker-Content-Digest", d.toString());
        h.put("Content-Length", "0");
        reply(ex, 201, h, new byte[0]);
    }

    // ------------------------------------------------------------------ manifests

    private Optional<Digest> resolve(String name, String reference) {
        if (reference.contains(":")) {
            Digest d = digest(reference);
            return storage.hasManifest(name, d) ? Optional.of(d) : Optional.empty();
        }
        if (!RegistryStorage.TAG.matcher(reference).matches()) {
            throw RegistryError.tagInvalid(reference);
        }
        return io(() -> storage.resolveTag(name, reference)).filter(d -> storage.hasManifest(name, d));
    }

    private void getManifest(Exchange ex, String name, String reference) {
        Digest d = resolve(name, reference).orElseThrow(() -> storage.repoExists(name)
                ? RegistryError.manifestUnknown(reference) : RegistryError.nameUnknown(name));
        byte[] content = io(() -> storage.readBlob(d));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", ManifestCheck.mediaTypeOf(content));
        h.put("Docker-Content-Digest", d.toString());
        h.put("ETag", "\"" + d + "\"");
        if (ex.method.equals(HttpMethod.HEAD)) {
            h.put("Content-Length", Integer.toString(content.length));
            reply(ex, 200, h, new byte[0]);
        } else {
            reply(ex, 200, h, content);
        }
    }

    private void putManifest(Exchange ex, String name, String reference) {
        byte[] content = ex.manifest.toByteArray();
        Digest byDigest = reference.contains(":") ? digest(reference) : null;
        if (byDigest == null && !RegistryStorage.TAG.matcher(reference).matches()) {
            throw RegistryError.tagInvalid(reference);
        }
        ManifestCheck m = ManifestCheck.parse(content, ex.request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        String algorithm = byDigest == null ? "sha256" : byDigest.algorithm();
        Digest d = new Digest(algorithm, HexFormat.of().formatHex(
                RegistryStorage.hasher(algorithm).digest(content)));
        if (byDigest != null && !byDigest.equals(d)) {
            throw RegistryError.digestInvalid("manifest digest is " + d + ", not " + byDigest);
        }
        Lock lock = storage.gcLock().readLock();
        lock.lock();
        try {
            for (Digest b : m.blobs()) {
                if (!storage.hasBlob(name, b)) {
                    throw RegistryError.manifestBlobUnknown(b.toString());
                }
                storage.touch(b);
            }
            for (Digest c : m.children()) {
                if (!storage.hasManifest(name, c)) {
                    throw RegistryError.manifestBlobUnknown(c.toString());
                }
                storage.touch(c);
            }
            io(() -> {
                storage.putBlob(content, d);
                storage.linkManifest(name, d);
                if (m.subject().isPresent()) {
                    storage.linkReferrer(name, m.subject().get(), d);
                }
                if (byDigest == null) {
                    storage.tag(name, reference, d);
                }
                return null;
            });
        } finally {
            lock.unlock();
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Location", "/v2/" + name + "/manifests/" + d);
        h.put("Docker-Content-Digest", d.toString());
        m.subject().ifPresent(s -> h.put("OCI-Subject", s.toString()));
        h.put("Content-Length", "0");
        reply(ex, 201, h, new byte[0]);
    }

    private void deleteManifest(Exchange ex, String name, String reference) {
        if (!reference.contains(":")) {
            // deleting a tag (distribution spec 1.1) removes the tag only
            if (!RegistryStorage.TAG.matcher(reference).matches()
                    || io(() -> storage.resolveTag(name, reference)).isEmpty()) {
                throw RegistryError.manifestUnknown(reference);
            }
            io(() -> Files.deleteIfExists(storage.tagPath(name, reference)));
            reply(ex, 202, Map.of("Content-Length", "0"), new byte[0]);
            return;
        }
        Digest d = digest(reference);
        if (!storage.hasManifest(name, d)) {
            throw RegistryError.manifestUnknown(reference);
        }
        io(() -> {
            for (String tag : storage.tagsOf(name, d)) {
                Files.deleteIfExists(storage.tagPath(name, tag));
            }
            ManifestCheck m = ManifestCheck.parse(storage.readBlob(d), null);
            if (m.subject().isPresent()) {
                Files.deleteIfExists(storage.referrersDir(name, m.subject().get())
                        .resolve(d.algorithm() + "-" + d.hex()));
            }
            Files.deleteIfExists(storage.revisionLink(name, d));
            return null;
        });
        reply(ex, 202, Map.of("Content-Length", "0"), new byte[0]);
    }

    // ------------------------------------------------------------------ referrers

    private void referrers(Exchange ex, String name, Digest subject) {
        String artifactType = ex.param("artifactType");
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", ManifestCheck.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Digest r : io(() -> storage.referrers(name, subject))) {
            if (!storage.hasManifest(name, r)) {
                continue;
            }
            byte[] content = io(() -> storage.readBlob(r));
            ManifestCheck m = ManifestCheck.parse(content, null);
            if (artifactType != null && !artifactType.equals(m.artifactType())) {
                continue;
            }
            ObjectNode desc = manifests.addObject();
            desc.put("mediaType", m.mediaType());
            desc.put("digest", r.toString());
            desc.put("size", content.length);
            if (m.artifactType() != null) {
                desc.put("artifactType", m.artifactType());
            }
            if (m.annotations() != null && m.annotations().isObject()) {
                desc.set("annotations", m.annotations());
            }
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", ManifestCheck.OCI_INDEX);
        if (artifactType != null) {
            h.put("OCI-Filters-Applied", "artifactType");
        }
        reply(ex, 200, h, json(index));
    }

    // ------------------------------------------------------------------ responses

    private void reply(Exchange ex, int status, Map<String, String> headers, byte[] body) {
        // the client may send its next request on another connection as soon as it has this answer
        ex.release();
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        common(resp.headers(), headers);
        if (!resp.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        log(ex, status, body.length);
        write(ex, resp);
    }

    private void sendError(Exchange ex, RegistryError e) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode err = body.putArray("errors").addObject();
        err.put("code", e.code);
        err.put("message", e.getMessage());
        Map<String, String> h = new LinkedHashMap<>(e.headers);
        h.put("Content-Type", "application/json");
        byte[] b = ex.method.equals(HttpMethod.HEAD) ? new byte[0] : json(body);
        h.put("Content-Length", Integer.toString(b.length));
        reply(ex, e.status, h, b);
    }

    private void sendFile(Exchange ex, int status, Map<String, String> headers, Digest d, long start, long length) {
        ex.release();
        RandomAccessFile raf;
        try {
            raf = new RandomAccessFile(storage.blobPath(d).toFile(), "r");
        } catch (IOException e) {
            throw RegistryError.blobUnknown(d.toString());
        }
        HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        common(resp.headers(), headers);
        resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        log(ex, status, length);
        ctx.write(resp);
        try {
            // without TLS the kernel copies the file to the socket (sendfile); with TLS it goes through the handler
            var f = ctx.pipeline().get(SslHandler.class) == null
                    ? writeRegion(raf, start, length)
                    : ctx.writeAndFlush(new HttpChunkedInput(new ChunkedFile(raf, start, length, 64 << 10)));
            if (!HttpUtil.isKeepAlive(ex.request)) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        } catch (IOException e) {
            ctx.close();
        }
    }

    private ChannelFuture writeRegion(RandomAccessFile raf, long start, long length) {
        ctx.write(new DefaultFileRegion(raf.getChannel(), start, length));
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void log(Exchange ex, int status, long bytes) {
        if (accessLog != null) {
            SocketAddress remote = ctx.channel().remoteAddress();
            accessLog.accept(String.format("%s %s \"%s %s\" %d %d %dms",
                    remote instanceof InetSocketAddress a ? a.getHostString() : "-",
                    ex.user == null ? "-" : ex.user, ex.method, ex.request.uri(), status, bytes,
                    (System.nanoTime() - ex.started) / 1_000_000));
        }
    }

    private static void common(HttpHeaders out, Map<String, String> headers) {
        out.set("Docker-Distribution-API-Version", "registry/2.0");
        headers.forEach(out::set);
    }

    private void write(Exchange ex, FullHttpResponse resp) {
        var f = ctx.writeAndFlush(resp);
        if (!HttpUtil.isKeepAlive(ex.request)) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T io(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw internal(e);
        }
    }
}
