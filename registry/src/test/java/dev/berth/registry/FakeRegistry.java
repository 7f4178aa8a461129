package dev.berth.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * An in-process registry for unit tests: serves manifests and blobs put into it, behind no authentication, Basic, or
 * a Bearer token service on the same server. Tests can make it answer any status for a path.
 */
final class FakeRegistry implements AutoCloseable {
    enum Auth { NONE, BASIC, BEARER }

    private final HttpServer server;
    private final Auth auth;
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, Integer> forcedStatus = new ConcurrentHashMap<>();
    volatile int tokenRequests;
    /** When positive, the next answer for blob {@link #cutBlob} stops after this many bytes and the connection is cut. */
    volatile int cutAfter;
    volatile String cutBlob = "";
    /** Pushed blobs per repository ("repo digest"), answered per repository when {@link #perRepository} is set. */
    final java.util.Set<String> repositoryBlobs = ConcurrentHashMap.newKeySet();
    volatile boolean perRepository;
    /** Open uploads by id. */
    final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    /** When positive, the next PATCH takes this many bytes of its body and then the connection is cut. */
    volatile int cutUploadAfter;
    /** Upload requests as "METHOD path?query [Content-Range]". */
    final java.util.List<String> uploadRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The Range headers blob requests came with. */
    final java.util.List<String> ranges = new java.util.concurrent.CopyOnWriteArrayList<>();

    FakeRegistry(Auth auth) throws IOException {
        this.auth = auth;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/token")) {
                tokenRequests++;
                String a = ex.getRequestHeaders().getFirst("Authorization");
                if (a != null && !a.equals(basic("alice", "s3cret"))) {
                    reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad\"}]}");
                    return;
                }
                reply(ex, 200, "{\"token\":\"" + (a == null ? "anon" : "alice") + "\"}");
                return;
            }
            if (!authorised(ex)) {
                ex.getResponseHeaders().add("WWW-Authenticate", auth == Auth.BASIC ? "Basic realm=\"fake\""
                        : "Bearer realm=\"http://" + host() + "/token\",service=\"fake\"");
                reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                return;
            }
            Integer forced = forcedStatus.get(path);
            if (forced != null) {
                reply(ex, forced, forced == 429
                        ? "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}" : "oops");
                return;
            }
            if (path.equals("/v2/")) {
                reply(ex, 200, "{}");
            } else if (path.contains("/manifests/") && ex.getRequestMethod().equals("PUT")) {
                manifests.put(path.substring(path.indexOf("/manifests/") + 11), ex.getRequestBody().readAllBytes());
                send(ex, 201, new byte[0]);
            } else if (path.contains("/manifests/")) {
                byte[] m = manifests.get(path.substring(path.indexOf("/manifests/") + 11));
                if (m == null) {
                    reply(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
                    return;
                }
                ex.getResponseHeaders().add("Content-Type", manifestTypes.getOrDefault(
                        path.substring(path.indexOf("/manifests/") + 11), "application/json"));
                send(ex, 200, m);
            } else if (path.contains("/blobs/uploads/")) {
                upload(ex, path);
            } else if (path.contains("/blobs/")) {
                String repo = path.substring(4, path.indexOf("/blobs/"));
                if (perRepository && !repositoryBlobs.contains(repo + " " + path.substring(path.indexOf("/blobs/") + 7))) {
                    reply(ex, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}");
                    return;
                }
                byte[] b = blobs.get(path.substring(path.indexOf("/blobs/") + 7));
                if (b == null) {
                    reply(ex, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}");
                    return;
                }
                String range = ex.getRequestHeaders().getFirst("Range");
                if (range != null) {
                    ranges.add(range);
                    int from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
                    ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
                    send(ex, 206, java.util.Arrays.copyOfRange(b, from, b.length));
                    return;
                }
                int cut = cutAfter;
                if (cut > 0 && path.endsWith(cutBlob)) {
                    cutAfter = 0;
                    ex.sendResponseHeaders(200, b.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(b, 0, cut);
                    out.flush();
                    throw new IOException("connection cut by the test"); // the exchange is dropped mid-body
                }
                send(ex, 200, b);
            } else {
                reply(ex, 404, "");
            }
        }
    }

    /** The upload endpoints, as a registry that supports mounts, chunks and upload status does. */
    private void upload(HttpExchange ex, String path) throws IOException {
        String repo = path.substring(4, path.indexOf("/blobs/uploads/"));
        String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
        String range = ex.getRequestHeaders().getFirst("Content-Range");
        uploadRequests.add(ex.getRequestMethod() + " " + path + (query.isEmpty() ? "" : "?" + query)
                + (range == null ? "" : " " + range));
        Map<String, String> params = new java.util.HashMap<>();
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                params.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String uuid = path.substring(path.indexOf("/blobs/uploads/") + 15);
        if (ex.getRequestMethod().equals("POST")) {
            String mount = params.get("mount");
            if (mount != null && repositoryBlobs.contains(params.get("from") + " " + mount)) {
                repositoryBlobs.add(repo + " " + mount);
                ex.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/" + mount);
                send(ex, 201, new byte[0]);
                return;
            }
            String id = java.util.UUID.randomUUID().toString();
            uploads.put(id, new ByteArrayOutputStream());
            uploadStatus(ex, 202, repo, id, 0);
            return;
        }
        ByteArrayOutputStream data = uploads.get(uuid);
        if (data == null) {
            reply(ex, 404, "{\"errors\":[{\"code\":\"BLOB_UPLOAD_UNKNOWN\",\"message\":\"blob upload unknown\"}]}");
            return;
        }
        switch (ex.getRequestMethod()) {
            case "GET" -> uploadStatus(ex, 204, repo, uuid, data.size());
            case "PATCH" -> {
                if (range != null && !range.startsWith(data.size() + "-")) {
                    uploadStatus(ex, 416, repo, uuid, data.size());
                    return;
                }
                int cut = cutUploadAfter;
                if (cut > 0) {
                    cutUploadAfter = 0;
                    data.write(ex.getRequestBody().readNBytes(cut));
                    throw new IOException("connection cut by the test"); // no answer: the client sees it drop
                }
                data.write(ex.getRequestBody().readAllBytes());
                uploadStatus(ex, 202, repo, uuid, data.size());
            }
            case "PUT" -> {
                data.write(ex.getRequestBody().readAllBytes());
                String digest = params.get("digest");
                if (!dev.berth.oci.Digest.sha256(data.toByteArray()).toString().equals(digest)) {
                    reply(ex, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"digest invalid\"}]}");
                    return;
                }
                uploads.remove(uuid);
                blobs.put(digest, data.toByteArray());
                repositoryBlobs.add(repo + " " + digest);
                send(ex, 201, new byte[0]);
            }
            default -> reply(ex, 405, "");
        }
    }

    private static void uploadStatus(HttpExchange ex, int status, String repo, String uuid, long size)
            throws IOException {
        ex.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + uuid);
        ex.getResponseHeaders().add("Range", "0-" + Math.max(0, size - 1));
        send(ex, status, new byte[0]);
    }

    private boolean authorised(HttpExchange ex) {
        String a = ex.getRequestHeaders().getFirst("Authorization");
        return switch (auth) {
            case NONE -> true;
            case BASIC -> basic("alice", "s3cret").equals(a);
            case BEARER -> a != null && a.startsWith("Bearer ");
        };
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A one-file layer tar (ustar), owned by the caller's own ids so unpacking needs no privilege. */
    static byte[] tar(String name, String content, int uid, int gid) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, String.format("%07o", 0644));
        put(header, 108, String.format("%07o", uid));
        put(header, 116, String.format("%07o", gid));
        put(header, 124, String.format("%011o", data.length));
        put(header, 136, String.format("%011o", 1600000000));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
