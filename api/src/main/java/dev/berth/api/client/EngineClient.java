package dev.berth.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Docker Engine API client over a Unix socket, speaking HTTP/1.1 by hand because the JDK's HttpClient cannot dial Unix
 * sockets. Each call opens its own connection and closes it when the reply is consumed: the CLI makes few calls, and a
 * connection per call makes streamed and hijacked replies independent of each other.
 *
 * <p>Replies with status 400 and above become {@link ApiException} carrying the daemon's {@code message}; 1xx-3xx are
 * success, because Docker answers 304 to "start" on a running container and the docker CLI treats that as done.
 */
public final class EngineClient {
    public static final String API_VERSION = "1.44";

    /** Error bodies are read up to this size only, as containerd does, so a misbehaving peer cannot fill memory. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_HEADER_LINE = 64 * 1024;

    private final DaemonHost host;
    private ObjectMapper mapper;
    private String version;

    /**
     * @param version the API version to speak, or null to negotiate it on the first call as Docker's client does
     *     (ping, then the lower of the daemon's {@code Api-Version} and {@link #API_VERSION})
     */
    public EngineClient(DaemonHost host, ObjectMapper mapper, String version) {
        this.host = host;
        this.mapper = mapper;
        this.version = version;
    }

    /** A client whose ObjectMapper is made on first use: the calls themselves read and write JSON without one. */
    public EngineClient(DaemonHost host, String version) {
        this(host, null, version);
    }

    public ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper();
        }
        return mapper;
    }

    /** The negotiated API version, pinging the daemon the first time. */
    public String version() throws IOException {
        if (version == null) {
            version = negotiate();
        }
        return version;
    }

    private String negotiate() throws IOException {
        try (UnixConnection conn = UnixConnection.open(host)) {
            writeRequest(conn.out(), ApiRequest.head("/_ping"), false, "");
            ApiResponse ping = readResponse(conn, "HEAD");
            String server = ping.header("api-version");
            if (server == null || server.isEmpty()) {
                // Docker's fallback for daemons that do not say (moby client/client.go).
                return "1.24";
            }
            return ApiVersions.lower(server, API_VERSION);
        }
    }

    /** Sends the request and returns the open reply; the body streams as the daemon writes it. */
    public ApiResponse send(ApiRequest request) throws IOException {
        String prefix = "/v" + version();
        UnixConnection conn = UnixConnection.open(host);
        try {
            writeRequest(conn.out(), request, false, prefix);
            ApiResponse response = readResponse(conn, request.method());
            if (response.status() >= 400) {
                throw error(response);
            }
            return response;
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** Sends the request and parses the JSON reply. */
    public JsonNode json(ApiRequest request) throws IOException {
        try (ApiResponse response = send(request)) {
            return JsonTrees.read(response.body());
        }
    }

    /** Sends the request and discards the reply body. */
    public void call(ApiRequest request) throws IOException {
        try (ApiResponse response = send(request)) {
            response.body().transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Sends a JSON body. */
    public JsonNode postJson(ApiRequest request, JsonNode body) throws IOException {
        return json(request.body("application/json", JsonTrees.write(body)));
    }

    /**
     * Upgrades the connection to a raw stream (attach). The daemon must answer 101 (or 200 from older engines); any
     * error status becomes an {@link ApiException}.
     */
    public HijackedStream hijack(ApiRequest request) throws IOException {
        String prefix = "/v" + version();
        UnixConnection conn = UnixConnection.open(host);
        try {
            writeRequest(conn.out(), request, true, prefix);
            ApiResponse response = readResponse(conn, "HIJACK");
            if (response.status() >= 400) {
                throw error(response);
            }
            if (response.status() != 101 && response.status() != 200) {
                throw new IOException("unable to upgrade to tcp, received " + response.status());
            }
            return new HijackedStream(conn, response.header("content-type"));
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    private static void writeRequest(OutputStream out, ApiRequest request, boolean upgrade, String prefix)
            throws IOException {
        StringBuilder head = new StringBuilder();
        head.append(request.method()).append(' ').append(request.target(prefix)).append(" HTTP/1.1\r\n");
        head.append("Host: api.moby.localhost\r\n");
        head.append("User-Agent: Berth-Client/").append(API_VERSION).append("\r\n");
        if (upgrade) {
            head.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
        }
        String type = request.contentType();
        if (type == null && upgrade) {
            type = "text/plain";
        }
        if (type != null) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (request.stream() != null) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            writeChunked(out, request.stream());
        } else {
            byte[] body = request.body();
            boolean hasBody = body != null || !"GET".equals(request.method()) && !"HEAD".equals(request.method());
            if (hasBody) {
                head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
        }
        out.flush();
    }

    private static void writeChunked(OutputStream out, InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (n == 0) {
                continue;
            }
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(buf, 0, n);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static ApiResponse readResponse(UnixConnection conn, String method) throws IOException {
        InputStream in = conn.in();
        String statusLine = HttpLines.readLine(in, MAX_HEADER_LINE);
        if (statusLine == null) {
            throw new IOException("the daemon closed the connection without a reply");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status line: " + statusLine, e);
        }
        Map<String, String> headers = new HashMap<>();
        while (true) {
            String line = HttpLines.readLine(in, MAX_HEADER_LINE);
            if (line == null || line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        InputStream body;
        if ("HIJACK".equals(method) && status < 300) {
            body = in;
        } else if ("HEAD".equals(method) || status == 204 || status == 304 || status < 200) {
            body = InputStream.nullInputStream();
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new ChunkedInputStream(in);
        } else if (headers.containsKey("content-length")) {
            body = new BoundedInputStream(in, Long.parseLong(headers.get("content-length")));
        } else {
            body = in;
        }
        return new ApiResponse(status, Map.copyOf(headers), body, conn);
    }

    private ApiException error(ApiResponse response) throws IOException {
        byte[] bytes;
        try (response) {
            bytes = response.body().readNBytes(MAX_ERROR_BODY);
        }
        String type = response.header("content-type");
        String message = null;
        if (type != null && type.startsWith("application/json")) {
            try {
                JsonNode node = JsonTrees.read(bytes);
                if (node != null && node.hasNonNull("message")) {
                    message = node.get("message").asText();
                }
            } catch (IOException ignored) {
                // Not JSON after all: Docker's client then shows the raw body, and so do we.
                message = null;
            }
        }
        if (message == null) {
            message = new String(bytes, StandardCharsets.UTF_8).strip();
        }
        if (message.isEmpty()) {
            message = "request returned status " + response.status()
                    + ", check if the server supports the requested API version";
        }
        return new ApiException(response.status(), message);
    }
}
