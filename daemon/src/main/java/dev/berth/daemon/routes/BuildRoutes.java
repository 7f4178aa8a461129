package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.build.BuildException;
import dev.berth.build.BuildOptions;
import dev.berth.build.BuildOutput;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.build.BuildService;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /build} (the classic builder's API: context tar in the body, JSON message stream out) and
 * {@code POST /build/prune}. As in Docker, a failure before any output is an HTTP error; after output has begun it goes
 * in-band as {@code {"errorDetail":{...},"error":...}}, and the client exits with errorDetail.code.
 */
public final class BuildRoutes {
    private final BuildService builds;

    public BuildRoutes(BuildService builds) {
        this.builds = builds;
    }

    public void register(Router r) {
        r.add("POST", "/build", (ex, p) -> build(ex));
        r.add("POST", "/build/prune", (ex, p) -> Responses.json(ex, 200,
                Map.of("CachesDeleted", java.util.List.of(), "SpaceReclaimed", 0)));
    }

    private void build(Exchange ex) throws Exception {
        if (ex.query("remote") != null && !ex.query("remote").isEmpty()) {
            throw new EngineException.InvalidArgument("building from a remote URL is not supported: "
                    + ex.query("remote"));
        }
        BuildOptions options = new BuildOptions(ex.query("dockerfile"), ex.queryAll("t"), map(ex.query("buildargs")),
                ex.query("target"), ex.queryBool("nocache", false), map(ex.query("labels")), ex.queryBool("q", false),
                ex.query("networkmode"), ex.query("platform"), "plain".equals(ex.query("progress")));
        LazyStream out = new LazyStream(ex);
        try {
            builds.build(ex.body(), options, out);
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
