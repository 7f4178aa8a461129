package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.types.ContainerConfig;
import dev.berth.api.types.GraphDriver;
import dev.berth.api.types.ImageInspect;
import dev.berth.api.types.ImageSummary;
import dev.berth.daemon.http.ApiVersion;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.images.ImageDefaults;
import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.ImportSource;
import dev.berth.engine.images.PullService;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The {@code /images} endpoints. */
public final class ImageRoutes {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "label", "before", "since", "reference", "until");

    private final ImageService images;
    private final ContainerService containers;
    private final PullRoute pulls;

    public ImageRoutes(ImageService images, ContainerService containers, PullService pulls) {
        this.images = images;
        this.containers = containers;
        this.pulls = new PullRoute(pulls);
    }

    public void register(Router r) {
        r.add("GET", "/images/json", (ex, p) -> list(ex));
        r.add("POST", "/images/create", (ex, p) -> create(ex));
        r.add("GET", "/images/{name}/json", (ex, p) -> inspect(ex, p.getFirst()));
        r.add("GET", "/images/{name}/history", (ex, p) -> history(ex, p.getFirst()));
        r.add("POST", "/images/{name}/tag", (ex, p) -> {
            images.tag(p.getFirst(), ex.query("repo"), ex.query("tag"));
            ex.sendEmpty(201);
        });
        r.add("DELETE", "/images/{name}", (ex, p) -> remove(ex, p.getFirst()));
    }

    private void list(Exchange ex) {
        Map<String, List<String>> filters = Filters.parse(ex.query("filters"));
        for (String k : filters.keySet()) {
            if (!LIST_FILTERS.contains(k)) {
                throw new EngineException.InvalidArgument("invalid filter '" + k + "'");
            }
        }
        boolean oldApi = ex.version().lessThan(new ApiVersion(1, 44));
        List<ImageRecord> all = new ArrayList<>(images.list());
        all.sort(Comparator.comparing(ImageRecord::created).reversed());
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRecord i : all) {
            if (!matches(i, filters)) {
                continue;
            }
            out.add(new ImageSummary(i.id(), "", i.repoTags(), i.repoDigests(), i.created().getEpochSecond(), i.size(),
                    oldApi ? i.size() : null, -1, i.labels(), -1));
        }
        Responses.json(ex, 200, out);
    }

    private boolean matches(ImageRecord i, Map<String, List<String>> f) {
        for (String d : f.getOrDefault("dangling", List.of())) {
            boolean dangling = i.repoTags().isEmpty();
            if (Boolean.parseBoolean(d) != dangling) {
                return false;
            }
        }
        for (String l : f.getOrDefault("label", List.of())) {
            if (!Filters.labelMatches(l, i.labels())) {
                return false;
            }
        }
        List<String> refs = f.get("reference");
        if (refs != null && refs.stream().noneMatch(ref -> i.repoTags().stream().anyMatch(t -> referenceMatches(ref, t)))) {
            return false;
        }
        for (String b : f.getOrDefault("before", List.of())) {
            if (!i.created().isBefore(images.inspect(b).created())) {
                return false;
            }
        }
        for (String s : f.getOrDefault("since", List.of())) {
            if (!i.created().isAfter(images.inspect(s).created())) {
                return false;
            }
        }
        for (String u : f.getOrDefault("until", List.of())) {
            if (!Filters.before(i.created(), u)) {
                return false;
            }
        }
        return true;
    }

    /** Docker matches "busybox" and "busybox:latest" and shell patterns like "bus*" against familiar names. */
    static boolean referenceMatches(String pattern, String familiarTag) {
        String name = familiarTag.substring(0, familiarTag.lastIndexOf(':'));
        String glob = "\\Q" + pattern.replace("*", "\\E[^/]*\\Q").replace("?", "\\E[^/]\\Q") + "\\E";
        return familiarTag.matches(glob) || name.matches(glob);
    }

    private void inspect(Exchange ex, String name) {
        ImageRecord i = images.inspect(name);
        boolean oldApi = ex.version().lessThan(new ApiVersion(1, 44));
        Map<String, Object> rootFs = new LinkedHashMap<>();
        rootFs.put("Type", "layers");
        rootFs.put("Layers", i.diffIds());
        Map<String, String> metadata = Map.of("LastTagTime", Times.rfc3339(i.lastTagTime()));
        Responses.json(ex, 200, new ImageInspect(i.id(), i.repoTags(), i.repoDigests(), "", i.comment(),
                Times.rfc3339(i.created()), "", emptyConfig(), "", i.author(), config(i.defaults(), i.labels()),
                i.architecture(), i.variant(), i.os(), i.size(), oldApi ? i.size() : null,
                new GraphDriver("overlay2", Map.of()), rootFs, metadata));
    }

    private static ContainerConfig config(ImageDefaults d, Map<String, String> labels) {
        return new ContainerConfig("", "", d.user() == null ? "" : d.user(), false, false, false, set(d.exposedPorts()),
                false, false, false, d.env(), d.cmd(), ContainerMapper.healthcheck(d.healthcheck()), false, "", set(d.volumes()),
                d.workingDir() == null ? "" : d.workingDir(), d.entrypoint(), false, null, null, labels,
                d.stopSignal(), null, null);
    }

    private static ContainerConfig emptyConfig() {
        return new ContainerConfig("", "", "", false, false, false, null, false, false, false, null, null, null, false, "",
                null, "", null, false, null, null, null, null, null, null);
    }

    private static Map<String, Object> set(List<String> keys) {
        if (keys == null || keys.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new TreeMap<>();
        keys.forEach(k -> m.put(k, Map.of()));
        return m;
    }

    private void history(Exchange ex, String name) {
        ArrayNode out = Responses.JSON.createArrayNode();
        for (ImageService.HistoryRow h : images.history(name)) {
            ObjectNode row = out.addObject();
            row.put("Id", h.id());
            row.put("Created", h.created() == null ? 0 : h.created().getEpochSecond());
            row.put("CreatedBy", h.createdBy());
            if (h.tags() == null || h.tags().isEmpty()) {
                row.putNull("Tags");
            } else {
                h.tags().forEach(row.withArrayProperty("Tags")::add);
            }
            row.put("Size", h.size());
            row.put("Comment", h.comment());
        }
        Responses.json(ex, 200, out);
    }

    private void remove(Exchange ex, String name) {
        List<ImageService.Deletion> done = images.remove(name, ex.queryBool("force", false),
                ex.queryBool("noprune", false), containers::imageUsers);
        ArrayNode out = Responses.JSON.createArrayNode();
        for (ImageService.Deletion d : done) {
            out.addObject().put(d.untagged() ? "Untagged" : "Deleted", d.what());
        }
        Responses.json(ex, 200, out);
    }

    private void create(Exchange ex) throws Exception {
        String fromSrc = ex.query("fromSrc");
        if (fromSrc == null) {
            pulls.pull(ex);
            return;
        }
        if (fromSrc.equals("-")) {
            String id = images.importImage(ex.body(), ex.query("repo"), ex.query("tag"), ex.query("message"),
                    ex.queryAll("changes"));
            try (OutputStream out = ex.stream(200, "application/json")) {
                ObjectNode status = Responses.JSON.createObjectNode().put("status", id);
                out.write((Responses.JSON.writeValueAsString(status) + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        // a URL: the daemon downloads it; a failed download is an HTTP error, as nothing has been sent yet
        String url = ImportSource.url(fromSrc);
        try (InputStream tar = ImportSource.open(url); ProgressStream progress = new ProgressStream(ex)) {
            progress.status("", "Downloading from " + url);
            try {
                progress.status("", images.importImage(tar, ex.query("repo"), ex.query("tag"), ex.query("message"),
                        ex.queryAll("changes")));
            } catch (EngineException e) {
                progress.error(e.getMessage());
            }
        }
    }
}
