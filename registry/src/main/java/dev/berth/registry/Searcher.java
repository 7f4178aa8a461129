package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code docker search}: asks a registry's search API, {@code GET /v1/search?q=<term>&n=<limit>}, in the shape Docker Hub
 * answers ({@code {"results": [{"name", "description", "star_count", "is_official", "is_automated"}]}}). A term that
 * starts with a registry host ({@code localhost:5000/app}) searches that registry for the rest; any other term searches
 * Docker Hub's index.
 */
public final class Searcher {
    /** Docker Hub's search lives on its index, not on the registry that serves pulls. */
    private static final String HUB_INDEX = "https://index.docker.io";
    /** Bounds what a search answer may take in memory. */
    private static final int MAX_ANSWER = 4 << 20;

    private final Registries registries;

    public Searcher(Registries registries) {
        this.registries = registries;
    }

    public record Result(String name, String description, int starCount, boolean official, boolean automated) {}

    /** The registry a term names and what to search it for, as Docker's {@code ParseSearchIndexInfo} splits it. */
    record Term(String registry, String query) {
        static Term of(String term) {
            int slash = term.indexOf('/');
            if (slash > 0) {
                String first = term.substring(0, slash);
                if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                    return new Term(first, term.substring(slash + 1));
                }
            }
            return new Term(RegistryConfig.DOCKER_HUB, term);
        }
    }

    public List<Result> search(String term, int limit, Credentials credentials) throws IOException {
        Term t = Term.of(term);
        RegistryClient client = t.registry().equals(RegistryConfig.DOCKER_HUB)
                ? registries.endpoint(t.registry(), HUB_INDEX, credentials)
                : registries.client(t.registry(), credentials);
        HttpResponse<InputStream> r = client.send("GET", "/v1/search?q=" + URLEncoder.encode(t.query(),
                StandardCharsets.UTF_8) + "&n=" + limit, Map.of(), null, "");
        if (r.statusCode() != 200) {
            throw RegistryClient.error(r);
        }
        JsonNode answer;
        try (InputStream in = r.body()) {
            answer = RegistryClient.JSON.readTree(in.readNBytes(MAX_ANSWER));
        }
        List<Result> out = new ArrayList<>();
        for (JsonNode n : answer.path("results")) {
            out.add(new Result(n.path("name").asText(""), n.path("description").asText(""),
                    n.path("star_count").asInt(0), n.path("is_official").asBoolean(false),
                    n.path("is_automated").asBoolean(false)));
        }
        return out;
    }
}
