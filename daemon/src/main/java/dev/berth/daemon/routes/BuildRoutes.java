package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.build.BuildException;
import dev.berth.build.BuildOptions;
import dev.berth.build.BuildOutput;
import dev.berth.build.Builder;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.build.BuildService;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /build} (the classic builder's API: context tar in the body, JSON message stream out) and
 * {@code POST /build/prune}. As in Docker, a failure before any output is an HTTP error; after output has begun it goes
 * in-band as {@code {"errorDetail":{...},"error":...}}, and the client exits with errorDetail.code.
 *
 * <p>Build secrets ({@code RUN --mount=type=secret}): Docker passes them over a BuildKit session; Berth's CLI sends
 * them in the request header {@value #SECRETS_HEADER}, base64url of a JSON object mapping each secret ID to its
 * standard-base64 value. The socket is the daemon's own (root or the berth group only), the header is never logged or
 * stored, and the values live only in the build's memory and, while a RUN step that mounts them runs, in its
 * scratch directory. Clients that send no such header (the docker CLI) build as before.
 */
public final class BuildRoutes {
    /** The request header that carries {@code --secret} values. */
    public static final String SECRETS_HEADER = "X-Berth-Build-Secrets";

    private final BuildService builds;

    public BuildRoutes(BuildService builds) {
        this.builds = builds;
    }

    public void register(Router r) {
        r.add("POST", "/build", (ex, p) -> build(ex));
        r.add("POST", "/build/prune", (ex, p) -> prune(ex));
    }

    /**
     * As Docker's builder: {@code until} (or its older name {@code unused-for}) keeps what was used since; {@code
     * keep-storage} (from API 1.48 {@code reserved-space}) keeps that many bytes, the most recently used. The cache
     * mounts are removed with or without {@code all}, as BuildKit does.
     */
    private void prune(Exchange ex) {
        Map<String, List<String>> f = Filters.parse(ex.query("filters"));
        for (String k : f.keySet()) {
            if (!k.equals("until") && !k.equals("unused-for")) {
                throw new EngineException.InvalidArgument("invalid filter '" + k + "'");
            }
        }
        if (f.containsKey("until") && f.containsKey("unused-for")) {
            throw new EngineException.InvalidArgument("conflicting filters \"until\" and \"unused-for\"");
        }
        String key = f.containsKey("until") ? "until" : "unused-for";
        List<String> until = f.getOrDefault(key, List.of());
        if (until.size() > 1) {
            throw new EngineException.InvalidArgument("filters expect only one value");
        }
        Instant before = null;
        if (!until.isEmpty()) {
            try {
                before = Filters.time(until.getFirst());
            } catch (EngineException.InvalidArgument e) {
                throw new EngineException.InvalidArgument("\"" + key
                        + "\" filter expects a duration (e.g., '24h') or a timestamp: " + e.getMessage());
            }
        }
        long keep = Math.max(bytes(ex, "keep-storage"), bytes(ex, "reserved-space"));
        Builder.PrunedCache pruned = builds.prune(before, keep);
        ObjectNode out = Responses.JSON.createObjectNode();
        pruned.deleted().forEach(out.putArray("CachesDeleted")::add);
        Responses.json(ex, 200, out.put("SpaceReclaimed", pruned.spaceReclaimed()));
    }

    private static long bytes(Exchange ex, String name) {
        String v = ex.query(name);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument(name + " is in bytes and expects an integer: strconv.Atoi: parsing \""
                    + v + "\": invalid syntax");
        }
    }

    private void build(Exchange ex) throws Exception {
        String remote = ex.query("remote");
        BuildOptions options = new BuildOptions(ex.query("dockerfile"), ex.queryAll("t"), map(ex.query("buildargs")),
                ex.query("target"), ex.queryBool("nocache", false), map(ex.query("labels")), ex.queryBool("q", false),
                ex.query("networkmode"), ex.query("platform"), "plain".equals(ex.query("progress")),
                ex.queryBool("check", false), ex.queryBool("pull", false), secrets(ex.headers().get(SECRETS_HEADER)));
        LazyStream out = new LazyStream(ex);
        try {
            if (remote != null && !remote.isEmpty()) {
                builds.buildRemote(remote, options, out);
            } else {
                builds.build(ex.body(), options, out);
            }
        } catch (BuildException e) {
            if (!out.started()) {
                throw e.userError() ? new EngineException.InvalidArgument(e.getMessage(), e)
                        : new EngineException.Internal(e.getMessage(), e);
            }
            ObjectNode error = Responses.JSON.createObjectNode();
            error.putObject("errorDetail").put("code", e.code()).put("message", e.getMessage());
            error.put("error", e.getMessage());
            out.write(error);
        } finally {
            out.close();
        }
    }

    /** The {@value #SECRETS_HEADER} header's secrets by ID; none without the header. */
    private static Map<String, byte[]> secrets(String header) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (header == null || header.isEmpty()) {
            return out;
        }
        try {
            JsonNode node = Responses.JSON.readTree(Base64.getUrlDecoder().decode(header.strip()));
            if (!node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            for (var e : node.properties()) {
                out.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid " + SECRETS_HEADER + " header: it must be base64url"
                    + " of a JSON object of base64 values"); // no cause: its text could quote a secret
        }
        return out;
    }

    /** buildargs and labels come as JSON objects; a null value (a --build-arg without one) is left out. */
    private static Map<String, String> map(String json) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isEmpty()) {
            return out;
        }
        JsonNode node = Responses.JSON.readTree(json);
        node.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    /** Opens the response on the first message, so errors before it can still be HTTP errors. */
    private static final class LazyStream implements BuildOutput {
        private final Exchange ex;
        private OutputStream stream;

        LazyStream(Exchange ex) {
            this.ex = ex;
        }

        boolean started() {
            return stream != null;
        }

        @Override
        public synchronized void stream(String text) {
            if (!text.isEmpty()) {
                write(Responses.JSON.createObjectNode().put("stream", text));
            }
        }

        @Override
        public synchronized void imageId(String id) {
            ObjectNode aux = Responses.JSON.createObjectNode().put("id", "moby.image.id");
            aux.putObject("aux").put("ID", id);
            write(aux);
        }

        synchronized void write(ObjectNode message) {
            try {
                if (stream == null) {
                    stream = ex.stream(200, "application/json");
                }
                stream.write((Responses.JSON.writeValueAsString(message) + "\r\n").getBytes(StandardCharsets.UTF_8));
                stream.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the client went away", e);
            }
        }

        synchronized void close() throws IOException {
            if (stream != null) {
                stream.close();
            }
        }
    }
}
