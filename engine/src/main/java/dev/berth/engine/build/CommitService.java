package dev.berth.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.build.DiffLayer;
import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.ContainerSettings;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.ImportChanges;
import dev.berth.linux.IdMap;
import dev.berth.store.LayerStore;
import dev.berth.store.LayerTar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code docker commit} and {@code docker diff}: both read a container's overlay upper dir, which holds exactly what
 * the container changed (whiteout devices for deletions).
 */
public final class CommitService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    /** stat(2) file types: overlay marks a deletion with a character device numbered 0/0. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    /** Bind-mount targets the runtime may create; Docker keeps them out of diffs and commits. */
    private static final List<String> MOUNT_TARGETS = List.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");

    private final DaemonConfig config;
    private final ImageService images;
    private final ContainerService containers;
    private final LayerStore layers;
    private final Clock clock;

    public CommitService(DaemonConfig config, ImageService images, ContainerService containers, LayerStore layers,
            Clock clock) {
        this.config = config;
        this.images = images;
        this.containers = containers;
        this.layers = layers;
        this.clock = clock;
    }

    /** One line of {@code diff}: kind 0 changed, 1 added, 2 deleted. */
    public record Change(String path, int kind) {}

    /** What a commit asked for; {@code repo} may be null for an untagged image. */
    public record CommitRequest(String container, String repo, String tag, String comment, String author,
            List<String> changes) {}

    public String commit(CommitRequest req) {
        Container c = containers.inspect(req.container());
        List<String> tags = new ArrayList<>();
        if (req.repo() != null && !req.repo().isEmpty()) {
            String ref = req.tag() == null || req.tag().isEmpty() ? req.repo() : req.repo() + ":" + req.tag();
            images.checkReference(ref);
            tags.add(ref);
        }
        ImageService.RawImage base = images.raw(c.imageId())
                .orElseThrow(() -> new EngineException.NotFound("No such image: " + c.imageId()));
        ObjectNode image;
        try {
            image = (ObjectNode) JSON.readTree(base.config());
        } catch (IOException e) {
            throw new EngineException.Internal("image " + base.id() + " has an unreadable config", e);
        }
        ObjectNode cfg = containerConfig(c.settings(), image.path("config"));
        for (String change : req.changes()) {
            ImportChanges.apply(cfg, change);
        }
        image.set("config", cfg);
        LayerStore.Layer layer;
        try {
            IdMap userns = containers.userNamespace(c);
            layer = DiffLayer.store(layers, out -> LayerTar.writeDiff(upper(c), out, userns),
                    c.layers().isEmpty() ? null : c.layers().getLast());
        } catch (IOException e) {
            throw new EngineException.Internal("failed to commit container " + c.id() + ": " + e.getMessage(), e);
        }
        String now = clock.instant().toString();
        image.put("created", now);
        if (req.author() != null && !req.author().isEmpty()) {
            image.put("author", req.author());
        } else {
            image.remove("author");
        }
        if (req.comment() != null && !req.comment().isEmpty()) {
            image.put("comment", req.comment());
        }
        ObjectNode h = image.withArrayProperty("history").addObject();
        h.put("created", now);
        h.put("created_by", String.join(" ", c.settings().argv()));
        if (req.author() != null && !req.author().isEmpty()) {
            h.put("author", req.author());
        }
        if (req.comment() != null && !req.comment().isEmpty()) {
            h.put("comment", req.comment());
        }
        image.withObjectProperty("rootfs").withArrayProperty("diff_ids").add(layer.diffId());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(image);
        } catch (IOException e) {
            throw new EngineException.Internal("cannot encode an image config", e);
        }
        long size = 0;
        for (String chain : layers.chainIds(diffIds(image))) {
            size += du(layers.diffDir(chain));
        }
        images.store(bytes, size, base.id(), tags);
        return dev.berth.oci.Digest.sha256(bytes).toString();
    }

    /** The image config Docker writes for a commit: the container's process settings over the image's. */
    private static ObjectNode containerConfig(ContainerSettings s, JsonNode imageConfig) {
        ObjectNode cfg = imageConfig.isObject() ? ((ObjectNode) imageConfig).deepCopy() : JSON.createObjectNode();
        cfg.put("Hostname", s.hostname());
        cfg.put("User", s.user() == null ? "" : s.user());
        cfg.set("Env", array(s.env()));
        cfg.set("Cmd", s.cmd() == null ? null : array(s.cmd()));
        cfg.set("Entrypoint", s.entrypoint() == null ? null : array(s.entrypoint()));
        cfg.put("WorkingDir", s.workingDir() == null ? "" : s.workingDir());
        ObjectNode labels = JSON.createObjectNode();
        (s.labels() == null ? Map.<String, String>of() : s.labels()).forEach(labels::put);
        cfg.set("Labels", labels);
        return cfg;
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = JSON.createArrayNode();
        (values == null ? List.<String>of() : values).forEach(a::add);
        return a;
    }

    private static List<String> diffIds(ObjectNode image) {
        List<String> out = new ArrayList<>();
        image.path("rootfs").path("diff_ids").forEach(n -> out.add(n.asText()));
        return out;
    }

    private Path upper(Container c) {
        return config.containerDir(c.id()).resolve("upper");
    }

    /** {@code docker diff}: the container's changes to its image, sorted by path. */
    public List<Change> changes(String ref) {
        Container c = containers.inspect(ref);
        Path upper = upper(c);
        Map<String, Integer> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(upper)) {
            for (Path p : walk.toList()) {
                if (p.equals(upper)) {
                    continue;
                }
                String path = "/" + upper.relativize(p);
                if (MOUNT_TARGETS.contains(path) && Files.isRegularFile(p, NOFOLLOW) && Files.size(p) == 0) {
                    continue;
                }
                int mode = (int) Files.getAttribute(p, "unix:mode", NOFOLLOW);
                boolean whiteout = (mode & S_IFMT) == S_IFCHR && (long) Files.getAttribute(p, "unix:rdev", NOFOLLOW) == 0;
                if (whiteout) {
                    out.put(path, 2);
                } else if (Files.isDirectory(p, NOFOLLOW)) {
                    if (!inLower(c, path)) {
                        out.put(path, 1);
                    }
                } else {
                    out.put(path, inLower(c, path) ? 0 : 1);
                }
                markParents(out, path, c);
            }
        } catch (IOException e) {
            throw new EngineException.Internal("failed to read the changes of container " + c.id() + ": "
                    + e.getMessage(), e);
        }
        List<Change> list = new ArrayList<>();
        out.forEach((p, k) -> list.add(new Change(p, k)));
        return list;
    }

    /** Docker shows the directories above a change as changed (or added, when they are new). */
    private void markParents(Map<String, Integer> out, String path, Container c) {
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            String dir = path.substring(0, slash);
            out.putIfAbsent(dir, inLower(c, dir) ? 0 : 1);
        }
    }

    private boolean inLower(Container c, String path) {
        for (String chain : c.layers()) {
            if (Files.exists(layers.diffDir(chain).resolve(path.substring(1)), NOFOLLOW)) {
                return true;
            }
        }
        return false;
    }

    private static long du(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            long total = 0;
            for (Path p : walk.toList()) {
                if (Files.isRegularFile(p, NOFOLLOW)) {
                    total += Files.size(p);
                }
            }
            return total;
        } catch (IOException e) {
            return 0;
        }
    }
}
