package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.daemon.http.ApiVersion;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.volumes.Volume;
import dev.berth.engine.volumes.VolumeService;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /volumes}: create, list, inspect, remove, prune; and Berth's own {@code /volumes/{name}/export},
 * {@code /volumes/{name}/import} (a tar body) and {@code /volumes/{name}/clone?target=}.
 */
public final class VolumeRoutes {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "name", "driver", "label");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");

    private final VolumeService volumes;

    public VolumeRoutes(VolumeService volumes) {
        this.volumes = volumes;
    }

    public void register(Router r) {
        r.add("GET", "/volumes", (ex, p) -> list(ex));
        r.add("POST", "/volumes/create", (ex, p) -> create(ex));
        r.add("POST", "/volumes/prune", (ex, p) -> prune(ex));
        r.add("GET", "/volumes/{name}/export", (ex, p) -> {
            volumes.inspect(p.getFirst());
            try (OutputStream out = ex.stream(200, "application/x-tar")) {
                volumes.export(p.getFirst(), out);
            }
        });
        r.add("POST", "/volumes/{name}/import", (ex, p) ->
                Responses.json(ex, 200, json(volumes.importTar(p.getFirst(), ex.body()))));
        r.add("POST", "/volumes/{name}/clone", (ex, p) -> {
            String target = ex.query("target");
            if (target == null || target.isEmpty()) {
                throw new EngineException.InvalidArgument("clone " + p.getFirst() + ": no target volume name");
            }
            Responses.json(ex, 201, json(volumes.cloneVolume(p.getFirst(), target)));
        });
        r.add("GET", "/volumes/{name}", (ex, p) -> Responses.json(ex, 200, json(volumes.inspect(p.getFirst()))));
        r.add("DELETE", "/volumes/{name}", (ex, p) -> {
            volumes.remove(p.getFirst(), ex.queryBool("force", false));
            ex.sendEmpty(204);
        });
    }

    private ObjectNode json(Volume v) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("CreatedAt", Times.rfc3339(v.createdAt()));
        n.put("Driver", v.driver());
        n.set("Labels", v.labels().isEmpty() ? null : Responses.JSON.valueToTree(v.labels()));
        n.put("Mountpoint", volumes.mountpoint(v.name()).toString());
        n.put("Name", v.name());
        n.set("Options", v.options().isEmpty() ? null : Responses.JSON.valueToTree(v.options()));
        n.put("Scope", "local");
        return n;
    }

    private void create(Exchange ex) throws Exception {
        JsonNode body = Responses.JSON.readTree(ex.body());
        if (body == null || body.isMissingNode()) {
            body = Responses.JSON.createObjectNode();
        }
        Volume v = volumes.create(body.path("Name").asText(""), body.path("Driver").asText("local"),
                strings(body.path("DriverOpts")), strings(body.path("Labels")));
        Responses.json(ex, 201, json(v));
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private void list(Exchange ex) {
        Map<String, List<String>> f = Filters.parse(ex.query("filters"));
        for (String k : f.keySet()) {
            if (!LIST_FILTERS.contains(k)) {
                throw new EngineException.InvalidArgument("invalid filter '" + k + "'");
            }
        }
        ObjectNode out = Responses.JSON.createObjectNode();
        ArrayNode list = out.putArray("Volumes");
        for (Volume v : volumes.list()) {
            if (matches(v, f)) {
                list.add(json(v));
            }
        }
        out.putArray("Warnings");
        Responses.json(ex, 200, out);
    }

    private boolean matches(Volume v, Map<String, List<String>> f) {
        for (String d : f.getOrDefault("dangling", List.of())) {
            boolean dangling = switch (d.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw new EngineException.InvalidArgument("invalid filter 'dangling=" + d + "'");
            };
            if (dangling != volumes.users(v.name()).isEmpty()) {
                return false;
            }
        }
        return f.getOrDefault("name", List.of()).stream().allMatch(n -> v.name().contains(n))
                && f.getOrDefault("driver", List.of()).stream().allMatch(d -> d.equals(v.driver()))
                && f.getOrDefault("label", List.of()).stream().allMatch(l -> Filters.labelMatches(l, v.labels()));
    }

    private void prune(Exchange ex) {
        Map<String, List<String>> f = Filters.parse(ex.query("filters"));
        for (String k : f.keySet()) {
            if (!PRUNE_FILTERS.contains(k)) {
                throw new EngineException.InvalidArgument("invalid filter '" + k + "'");
            }
        }
        // Before API 1.42 prune removed every unused volume; since then only anonymous ones unless all=true.
        boolean all = ex.version().lessThan(new ApiVersion(1, 42))
                || f.getOrDefault("all", List.of()).stream().anyMatch(a -> a.equals("true") || a.equals("1"));
        VolumeService.PruneReport report = volumes.prune(all, v ->
                f.getOrDefault("label", List.of()).stream().allMatch(l -> Filters.labelMatches(l, v.labels()))
                        && f.getOrDefault("label!", List.of()).stream().noneMatch(l -> Filters.labelMatches(l, v.labels())));
        ObjectNode out = Responses.JSON.createObjectNode();
        ArrayNode deleted = out.putArray("VolumesDeleted");
        report.deleted().forEach(deleted::add);
        out.put("SpaceReclaimed", report.spaceReclaimed());
        Responses.json(ex, 200, out);
    }
}
