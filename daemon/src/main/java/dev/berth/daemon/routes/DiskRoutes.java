package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.types.ImageSummary;
import dev.berth.daemon.http.ApiVersion;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.DiskUsage;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Disk usage and the prunes that give space back: {@code GET /system/df}, {@code POST /images/prune}, and the network and
 * build-cache prunes {@code docker system prune} calls.
 */
public final class DiskRoutes {
    private static final Set<String> IMAGE_PRUNE_FILTERS = Set.of("dangling", "label", "label!", "until");
    private static final Set<String> DF_TYPES = Set.of("container", "image", "volume", "build-cache");

    private final DiskUsage disk;
    private final ImageService images;
    private final ContainerService containers;

    public DiskRoutes(DiskUsage disk, ImageService images, ContainerService containers) {
        this.disk = disk;
        this.images = images;
        this.containers = containers;
    }

    public void register(Router r) {
        r.add("GET", "/system/df", (ex, p) -> df(ex));
        r.add("POST", "/images/prune", (ex, p) -> pruneImages(ex));
    }

    private void df(Exchange ex) {
        List<String> types = ex.queryAll("type");
        for (String t : types) {
            if (!DF_TYPES.contains(t)) {
                throw new EngineException.InvalidArgument("unknown object type: " + t);
            }
        }
        boolean all = types.isEmpty();
        ObjectNode out = Responses.JSON.createObjectNode();
        boolean oldApi = ex.version().lessThan(new ApiVersion(1, 44));
        if (all || types.contains("image")) {
            out.put("LayersSize", disk.layersSize());
            ArrayNode list = out.putArray("Images");
            for (DiskUsage.ImageUsage u : disk.images()) {
                ImageRecord i = u.image();
                list.add(Responses.JSON.valueToTree(new ImageSummary(i.id(), "", i.repoTags(), i.repoDigests(),
                        i.created().getEpochSecond(), u.size(), oldApi ? u.size() : null, u.sharedSize(),
                        i.labels() == null ? Map.of() : i.labels(), u.containers())));
            }
        }
        if (all || types.contains("container")) {
            ArrayNode list = out.putArray("Containers");
            Instant now = Instant.now();
            for (DiskUsage.ContainerUsage u : disk.containers()) {
                list.add(Responses.JSON.valueToTree(ContainerMapper.summary(u.container(), now, u.sizeRw(), u.sizeRootFs(),
                        containers.health(u.container().id()).orElse(null), null)));
            }
        }
        if (all || types.contains("volume")) {
            ArrayNode list = out.putArray("Volumes");
            for (DiskUsage.VolumeUsage v : disk.volumes()) {
                ObjectNode n = list.addObject().put("Name", v.name()).put("Driver", v.driver())
                        .put("Mountpoint", v.mountpoint()).put("CreatedAt", Times.rfc3339(v.createdAt()))
                        .put("Scope", v.scope());
                n.set("Labels", Responses.JSON.valueToTree(v.labels()));
                n.putObject("Options");
                n.putObject("UsageData").put("Size", v.size()).put("RefCount", v.refCount());
            }
        }
        if (all || types.contains("build-cache")) {
            ArrayNode list = out.putArray("BuildCache");
            for (DiskUsage.BuildCacheUsage b : disk.buildCache()) {
                list.addObject().put("ID", b.id()).put("Type", b.type()).put("Description", b.description())
                        .put("InUse", b.inUse()).put("Shared", b.shared()).put("Size", b.size())
                        .put("CreatedAt", Times.rfc3339(b.createdAt())).put("LastUsedAt", Times.rfc3339(b.lastUsedAt()))
                        .put("UsageCount", b.usageCount());
            }
        }
        Responses.json(ex, 200, out);
    }

    private void pruneImages(Exchange ex) {
        Map<String, List<String>> f = Filters.parse(ex.query("filters"));
        for (String k : f.keySet()) {
            if (!IMAGE_PRUNE_FILTERS.contains(k)) {
                throw new EngineException.InvalidArgument("invalid filter '" + k + "'");
            }
        }
        boolean danglingOnly = true;
        for (String d : f.getOrDefault("dangling", List.of())) {
            danglingOnly = switch (d.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw new EngineException.InvalidArgument("invalid filter 'dangling=" + d + "'");
            };
        }
        for (String u : f.getOrDefault("until", List.of())) {
            Filters.time(u); // a bad value fails before anything is removed
        }
        ImageService.PruneReport report = images.prune(danglingOnly, i -> matches(i, f), containers::imageUsers,
                disk::layerSize);
        ObjectNode out = Responses.JSON.createObjectNode();
        ArrayNode deleted = out.putArray("ImagesDeleted");
        for (ImageService.Deletion d : report.deleted()) {
            deleted.addObject().put(d.untagged() ? "Untagged" : "Deleted", d.what());
        }
        out.put("SpaceReclaimed", report.spaceReclaimed());
        Responses.json(ex, 200, out);
    }

    private static boolean matches(ImageRecord i, Map<String, List<String>> f) {
        return f.getOrDefault("label", List.of()).stream().allMatch(l -> Filters.labelMatches(l, i.labels()))
                && f.getOrDefault("label!", List.of()).stream().noneMatch(l -> Filters.labelMatches(l, i.labels()))
                && f.getOrDefault("until", List.of()).stream().allMatch(u -> Filters.before(i.created(), u));
    }
}
