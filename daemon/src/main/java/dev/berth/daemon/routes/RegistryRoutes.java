package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.RegistryServices;
import dev.berth.engine.images.PullService;
import dev.berth.registry.Credentials;
import dev.berth.registry.RegistryException;
import dev.berth.registry.Searcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** {@code POST /images/{name}/push} and {@code POST /auth} (login). */
public final class RegistryRoutes {
    private static final String DOCKER_HUB_ADDRESS = "https://index.docker.io/v1/";

    private final RegistryServices registry;

    public RegistryRoutes(RegistryServices registry) {
        this.registry = registry;
    }

    public void register(Router r) {
        r.add("POST", "/images/{name}/push", (ex, p) -> push(ex, p.getFirst()));
        r.add("POST", "/auth", (ex, p) -> login(ex));
        r.add("GET", "/images/get", (ex, p) -> save(ex, ex.queryAll("names")));
        r.add("GET", "/images/{name}/get", (ex, p) -> save(ex, java.util.List.of(p.getFirst())));
        r.add("POST", "/images/load", (ex, p) -> load(ex));
        r.add("GET", "/images/search", (ex, p) -> search(ex));
    }

    /** {@code GET /images/search?term=&limit=&filters=}: Docker's array of results. */
    private void search(Exchange ex) {
        String term = ex.query("term");
        if (term == null || term.isEmpty()) {
            throw new EngineException.InvalidArgument("term is required");
        }
        int limit;
        try {
            limit = ex.query("limit") == null || ex.query("limit").isEmpty() ? 0 : Integer.parseInt(ex.query("limit"));
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("invalid limit: " + ex.query("limit"));
        }
        Credentials credentials = PullRoute.credentials(ex.headers().get("X-Registry-Auth"));
        var out = Responses.JSON.createArrayNode();
        for (Searcher.Result r : registry.searches().search(term, limit, Filters.parse(ex.query("filters")),
                credentials)) {
            out.addObject().put("description", r.description()).put("is_official", r.official())
                    .put("is_automated", r.automated()).put("name", r.name()).put("star_count", r.starCount());
        }
        Responses.json(ex, 200, out);
    }

    private void save(Exchange ex, java.util.List<String> names) throws IOException {
        for (String n : names) {
            registry.images().inspect(n); // a missing image is a 404 before any byte is sent
        }
        try (java.io.OutputStream out = ex.stream(200, "application/x-tar")) {
            registry.archives().save(names, out);
        }
    }

    private void load(Exchange ex) throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        registry.archives().load(ex.body(), lines::add);
        try (java.io.OutputStream out = ex.stream(200, "application/json")) {
            for (String line : lines) {
                var m = Responses.JSON.createObjectNode().put("stream", line + "\n");
                out.write((Responses.JSON.writeValueAsString(m) + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private void push(Exchange ex, String name) throws IOException {
        Credentials credentials = PullRoute.credentials(ex.headers().get("X-Registry-Auth"));
        try (ProgressStream progress = new ProgressStream(ex)) {
            try {
                registry.pushes().push(name, ex.query("tag"), credentials, progress);
            } catch (EngineException | UncheckedIOException e) {
                if (!progress.started()) {
                    throw e;
                }
                progress.error(e.getMessage());
            }
        }
    }

    /** Checks credentials against the registry, as {@code docker login} asks the daemon to. */
    private void login(Exchange ex) throws IOException {
        JsonNode body = Responses.JSON.readTree(ex.body());
        String address = body.path("serveraddress").asText("");
        String host = host(address);
        Credentials credentials = new Credentials(body.path("username").asText(null),
                body.path("password").asText(null), body.path("identitytoken").asText(null));
        try {
            registry.registries().client(host, credentials).login();
        } catch (RegistryException e) {
            throw PullService.translate(e);
        }
        Responses.json(ex, 200, Map.of("Status", "Login Succeeded", "IdentityToken", ""));
    }

    /** "https://index.docker.io/v1/" is Docker Hub; other addresses may carry a scheme and a path. */
    static String host(String address) {
        if (address.isEmpty() || address.equals(DOCKER_HUB_ADDRESS) || address.contains("index.docker.io")) {
            return "docker.io";
        }
        String s = address.replaceFirst("^https?://", "");
        int slash = s.indexOf('/');
        return slash < 0 ? s : s.substring(0, slash);
    }
}
