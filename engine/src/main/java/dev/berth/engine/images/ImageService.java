package dev.berth.engine.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.EngineException;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.Healthcheck;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;
import dev.berth.store.meta.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Images: import, lookup, tag, untag and delete, with Docker's rules for which name means which image.
 *
 * <p>An image is its config blob (the image ID is that blob's digest) plus the layers its {@code rootfs.diff_ids} name.
 * Tags map normalised references ("docker.io/library/busybox:latest") to image IDs. Layers are shared between images
 * and deleted only when no remaining image uses them.
 */
public final class ImageService {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetadataStore db;
    private final LayerStore layers;
    private final Clock clock;
    private final EventBus events;
    private final ContentStore content;

    /** {@code content} keeps the tar of imported layers, so that a push sends the very bytes their diff id names. */
    public ImageService(MetadataStore db, LayerStore layers, ContentStore content, Clock clock, EventBus events) {
        this.db = db;
        this.layers = layers;
        this.content = content;
        this.clock = clock;
        this.events = events;
    }

    /** Docker's image events: the actor is the image ID, {@code name} the reference the action was about. */
    private void event(String id, String name, String action) {
        events.emit("image", action, id, Map.of("name", name));
    }

    /** One line of {@code rmi}'s answer: "Untagged: busybox:latest" or "Deleted: sha256:...". */
    public record Deletion(boolean untagged, String what) {}

    // ---- lookup ---------------------------------------------------------------------------------------------------

    /** Finds an image by name[:tag], name@digest, full or short ID; else Docker's "No such image: busybox:latest". */
    public ImageRecord inspect(String ref) {
        return record(findId(ref));
    }

    public ResolvedImage resolveForContainer(String ref) {
        ImageRecord r = inspect(ref);
        return new ResolvedImage(r.id(), r.chainIds(), r.defaults());
    }

    public int count() {
        try {
            return db.images().size();
        } catch (SQLException e) {
            throw internal("list images", e);
        }
    }

    public List<ImageRecord> list() {
        try {
            List<ImageRecord> out = new ArrayList<>();
            for (MetadataStore.ImageRow row : db.images()) {
                out.add(record(row));
            }
            return out;
        } catch (SQLException e) {
            throw internal("list images", e);
        }
    }

    private String findId(String ref) {
        try {
            if (ref.startsWith("sha256:") && ref.length() == 71) {
                if (db.image(ref).isPresent()) {
                    return ref;
                }
                throw notFound(ref);
            }
            Optional<Reference> parsed = parseQuietly(ref);
            if (parsed.isPresent()) {
                Reference r = parsed.get();
                Optional<String> tagged = r.digest() != null
                        ? db.resolveRepoDigest(r.name() + "@" + r.digest())
                        : db.resolveTag(r.toString());
                if (tagged.isPresent()) {
                    return tagged.get();
                }
            }
            String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
            if (hex.matches("[0-9a-f]{1,64}")) {
                List<String> hits = new ArrayList<>();
                for (MetadataStore.ImageRow row : db.images()) {
                    if (row.id().startsWith("sha256:" + hex)) {
                        hits.add(row.id());
                    }
                }
                if (hits.size() == 1) {
                    return hits.getFirst();
                }
            }
            throw notFound(parsed.map(Reference::familiar).orElse(ref));
        } catch (SQLException e) {
            throw internal("look up image " + ref, e);
        }
    }

    private static Optional<Reference> parseQuietly(String ref) {
        try {
            return Optional.of(Reference.parse(ref));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static EngineException notFound(String ref) {
        return new EngineException.NotFound("No such image: " + ref);
    }

    private ImageRecord record(String id) {
        try {
            return record(db.image(id).orElseThrow(() -> notFound(id)));
        } catch (SQLException e) {
            throw internal("read image " + id, e);
        }
    }

    private ImageRecord record(MetadataStore.ImageRow row) throws SQLException {
        List<String> tags = new ArrayList<>();
        for (String t : db.tagsOf(row.id())) {
            tags.add(Reference.parse(t).familiar());
        }
        tags.sort(null);
        List<String> digests = new ArrayList<>();
        for (String d : db.repoDigestsOf(row.id())) {
            digests.add(Reference.parse(d).familiar());
        }
        JsonNode config;
        try {
            config = JSON.readTree(row.config());
        } catch (IOException e) {
            throw new EngineException.Internal("image " + row.id() + " has an unreadable config: " + e.getMessage(), e);
        }
        List<String> diffIds = strings(config.path("rootfs").path("diff_ids"));
        List<ImageRecord.HistoryEntry> history = new ArrayList<>();
        for (JsonNode h : config.path("history")) {
            history.add(new ImageRecord.HistoryEntry(instant(h.path("created").asText(null)),
                    h.path("created_by").asText(""), h.path("comment").asText(""), h.path("empty_layer").asBoolean()));
        }
        JsonNode c = config.path("config");
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        ImageDefaults defaults = new ImageDefaults(c.path("User").asText(""), stringsOrNull(c.path("Env")),
                stringsOrNull(c.path("Cmd")), stringsOrNull(c.path("Entrypoint")), c.path("WorkingDir").asText(""),
                labels, keys(c.path("ExposedPorts")), keys(c.path("Volumes")), c.path("StopSignal").asText(null),
                healthcheck(c.path("Healthcheck")));
        return new ImageRecord(row.id(), tags, digests, instant(config.path("created").asText(row.created())),
                row.size(), instant(row.lastTagTime()), config.path("author").asText(""),
                config.path("comment").asText(""), config.path("architecture").asText(""),
                config.path("os").asText("linux"), config.path("variant").asText(""), defaults,
                labels.isEmpty() ? null : labels, diffIds, layers.chainIds(diffIds), history);
    }

    /** The image config's {@code Healthcheck} (durations in nanoseconds), or null. */
    private static Healthcheck healthcheck(JsonNode h) {
        if (!h.isObject()) {
            return null;
        }
        return new Healthcheck(stringsOrNull(h.path("Test")), h.path("Interval").asLong(0), h.path("Timeout").asLong(0),
                h.path("StartPeriod").asLong(0), h.path("StartInterval").asLong(0), h.path("Retries").asInt(0));
    }

    private static Instant instant(String s) {
        return s == null || s.isEmpty() ? null : Instant.parse(s);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> stringsOrNull(JsonNode array) {
        return array.isArray() ? strings(array) : null;
    }

    private static List<String> keys(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    // ---- import / tag / remove --------------------------------------------------------------------------------------

    /**
     * {@code import}: one layer from a (possibly compressed) tar, and a config Docker would write for it, with
     * {@code changes} (Dockerfile instructions such as {@code CMD ["sh"]}) applied. Returns the image ID.
     */
    public String importImage(InputStream tar, String repo, String tag, String message, List<String> changes) {
        Reference target = null;
        if (repo != null && !repo.isEmpty()) {
            target = parseReference(tag == null || tag.isEmpty() ? repo : repo + ":" + tag);
        }
        ObjectNode config = JSON.createObjectNode();
        for (String change : changes) {
            ImportChanges.apply(config, change);
        }
        LayerStore.Layer layer;
        ContentStore.Written kept;
        String keptType;
        try (ContentStore.Writer copy = content.writer()) {
            layer = layers.apply(new TeeInputStream(tar, copy), null);
            kept = copy.commit();
            keptType = TeeInputStream.mediaType(content.path(kept.digest()));
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("failed to import the image: " + e.getMessage(), e);
        }
        Instant now = clock.instant();
        ObjectNode image = JSON.createObjectNode();
        image.put("architecture", "amd64");
        image.set("config", config);
        image.put("created", now.toString());
        ArrayNode history = image.putArray("history");
        history.addObject().put("created", now.toString())
                .put("comment", message == null || message.isEmpty() ? "Imported from -" : message);
        image.put("os", "linux");
        ObjectNode rootfs = image.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(layer.diffId());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(image);
        } catch (IOException e) {
            throw new EngineException.Internal("cannot encode an image config", e);
        }
        String id = Digest.sha256(bytes).toString();
        try {
            db.putImage(new MetadataStore.ImageRow(id, bytes, layer.size(), now.toString(), null));
            db.putLayerBlob(new MetadataStore.LayerBlob(layer.diffId(), kept.digest().toString(),
                    keptType, kept.size()));
            if (target != null) {
                db.tag(target.toString(), id, now.toString());
            }
        } catch (SQLException e) {
            throw internal("record image " + id, e);
        }
        event(id, id, "import");
        if (target != null) {
            event(id, target.familiar(), "tag");
        }
        return id;
    }

    /** An image's ID and the config bytes that ID is the digest of. */
    public record RawImage(String id, byte[] config) {}

    /** The image {@code ref} names, as stored; empty if there is none. */
    public Optional<RawImage> raw(String ref) {
        try {
            String id = findId(ref);
            return db.image(id).map(row -> new RawImage(row.id(), row.config()));
        } catch (EngineException.NotFound e) {
            return Optional.empty();
        } catch (SQLException e) {
            throw internal("read image " + ref, e);
        }
    }

    /** Refuses a name Docker would not tag an image with. */
    public void checkReference(String ref) {
        Reference r = parseReference(ref);
        if (r.digest() != null) {
            throw new EngineException.InvalidArgument("refusing to create a tag with a digest reference");
        }
    }

    /**
     * Stores an image made here (a build's result, a commit) whose layers are in the layer store already, records the
     * image it was made from, and tags it; returns the tags in their familiar form ("myimage:latest").
     */
    public List<String> store(byte[] config, long size, String parentId, List<String> tags) {
        String id = Digest.sha256(config).toString();
        List<String> familiar = new ArrayList<>();
        try {
            String now = clock.instant().toString();
            db.putImage(new MetadataStore.ImageRow(id, config, size, now, null));
            if (parentId != null && !parentId.equals(id)) {
                db.putParent(id, parentId);
            }
            for (String t : tags) {
                Reference r = parseReference(t);
                db.tag(r.toString(), id, now);
                familiar.add(r.familiar());
            }
        } catch (SQLException e) {
            throw internal("record image " + id, e);
        }
        return familiar;
    }

    /**
     * Records a pulled image: its config, the repo digest it was pulled by ({@code name@sha256:...}), the blob each layer
     * came as (so a push sends the same bytes), and {@code tag} if not null. Returns true when the tag now points to an
     * image it did not point to before (Docker's "Downloaded newer image").
     */
    public boolean recordPulled(byte[] config, long size, Reference tag, String repoDigest,
            List<MetadataStore.LayerBlob> blobs) {
        String id = Digest.sha256(config).toString();
        try {
            String now = clock.instant().toString();
            boolean had = db.image(id).isPresent();
            db.putImage(new MetadataStore.ImageRow(id, config, size, now, null));
            for (MetadataStore.LayerBlob b : blobs) {
                db.putLayerBlob(b);
            }
            db.putRepoDigest(repoDigest, id);
            boolean changed = !had;
            if (tag != null) {
                Optional<String> before = db.resolveTag(tag.toString());
                if (before.isEmpty() || !before.get().equals(id)) {
                    db.tag(tag.toString(), id, now);
                    changed = true;
                }
            }
            event(id, tag == null ? repoDigest : tag.familiar(), "pull");
            return changed;
        } catch (SQLException e) {
            throw internal("record image " + id, e);
        }
    }

    /** Whether the image with this ID is stored. */
    public boolean has(String id) {
        try {
            return db.image(id).isPresent();
        } catch (SQLException e) {
            throw internal("read image " + id, e);
        }
    }

    /** The compressed blob a layer was pulled or pushed as, if known. */
    public Optional<MetadataStore.LayerBlob> layerBlob(String diffId) {
        try {
            return db.layerBlob(diffId);
        } catch (SQLException e) {
            throw internal("read layer " + diffId, e);
        }
    }

    /** Remembers the compressed blob of a layer (after a push compressed it). */
    public void putLayerBlob(MetadataStore.LayerBlob blob) {
        try {
            db.putLayerBlob(blob);
        } catch (SQLException e) {
            throw internal("record layer " + blob.diffId(), e);
        }
    }

    /** Records a repo digest learnt by a push. */
    public void putRepoDigest(String ref, String id) {
        try {
            db.putRepoDigest(ref, id);
        } catch (SQLException e) {
            throw internal("record image " + id, e);
        }
    }

    /** One row of {@code history}: the image ID for the top entry of each known image, else "<missing>". */
    public record HistoryRow(String id, Instant created, String createdBy, List<String> tags, long size,
            String comment) {}

    /**
     * {@code docker history}: the image's history entries, newest first; entries that made a layer show that layer's
     * size. The newest entry of the image, and of each image it was made from, shows that image's ID and tags.
     */
    public List<HistoryRow> history(String ref) {
        ImageRecord image = inspect(ref);
        try {
            Map<Integer, ImageRecord> owners = new java.util.HashMap<>();
            ImageRecord cursor = image;
            while (cursor != null && !owners.containsKey(cursor.history().size() - 1)) {
                owners.put(cursor.history().size() - 1, cursor);
                Optional<String> parent = db.parent(cursor.id());
                cursor = parent.isPresent() && db.image(parent.get()).isPresent() ? record(parent.get()) : null;
            }
            List<HistoryRow> rows = new ArrayList<>();
            int layer = 0;
            List<Long> sizes = new ArrayList<>();
            for (ImageRecord.HistoryEntry h : image.history()) {
                if (!h.emptyLayer() && layer < image.chainIds().size()) {
                    sizes.add(layerSize(image.chainIds().get(layer++)));
                } else {
                    sizes.add(0L);
                }
            }
            for (int i = image.history().size() - 1; i >= 0; i--) {
                ImageRecord.HistoryEntry h = image.history().get(i);
                ImageRecord owner = owners.get(i);
                rows.add(new HistoryRow(owner == null ? "<missing>" : owner.id(), h.created(), h.createdBy(),
                        owner == null ? null : owner.repoTags(), sizes.get(i), h.comment()));
            }
            return rows;
        } catch (SQLException e) {
            throw internal("read the history of " + ref, e);
        } catch (IOException e) {
            throw new EngineException.Internal("cannot measure the layers of " + ref + ": " + e.getMessage(), e);
        }
    }

    private long layerSize(String chainId) throws IOException {
        java.nio.file.Path dir = layers.diffDir(chainId);
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        long total = 0;
        try (var walk = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : walk.toList()) {
                if (java.nio.file.Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    total += java.nio.file.Files.size(p);
                }
            }
        }
        return total;
    }

    /** {@code docker tag}: points repo[:tag] at the image {@code source} names. */
    public void tag(String source, String repo, String tag) {
        String id = findId(source);
        if (repo == null || repo.isEmpty()) {
            throw new EngineException.InvalidArgument("repository name must have at least one component");
        }
        Reference target = parseReference(tag == null || tag.isEmpty() ? repo : repo + ":" + tag);
        if (target.digest() != null) {
            throw new EngineException.InvalidArgument("refusing to create a tag with a digest reference");
        }
        try {
            db.tag(target.toString(), id, clock.instant().toString());
        } catch (SQLException e) {
            throw internal("tag image " + id, e);
        }
        event(id, target.familiar(), "tag");
    }

    private static Reference parseReference(String s) {
        try {
            return Reference.parse(s);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument(e.getMessage(), e);
        }
    }

    /**
     * {@code rmi}: by name, untags (and deletes the image if that was its last name and nothing uses it); by ID,
     * deletes (with force, after untagging every name). Docker's conflict messages when containers use the image.
     */
    public List<Deletion> remove(String ref, boolean force, boolean noPrune, Function<String, List<Container>> users) {
        String id = findId(ref);
        List<Deletion> out = new ArrayList<>();
        try {
            List<String> tags = db.tagsOf(id);
            String shortId = id.substring(7, 19);
            Optional<Reference> byDigest = parseQuietly(ref).filter(r -> r.digest() != null);
            if (byDigest.isPresent() && (!tags.isEmpty() || db.repoDigestsOf(id).size() > 1)) {
                // as Docker: a digest reference is one name among others; removing it leaves the image to them
                String name = byDigest.get().name() + "@" + byDigest.get().digest();
                db.deleteRepoDigest(name);
                out.add(new Deletion(true, Reference.parse(name).familiar()));
                event(id, id, "untag");
                return out;
            }
            Optional<Reference> byName = parseQuietly(ref).filter(r -> tags.contains(r.toString()));
            List<Container> using = users.apply(id);
            Optional<Container> running = using.stream().filter(c -> c.state().isRunning()).findFirst();
            if (byName.isPresent()) {
                if (tags.size() > 1 || (!using.isEmpty() && force)) {
                    db.untag(byName.get().toString());
                    out.add(new Deletion(true, byName.get().familiar()));
                    event(id, id, "untag");
                    return out;
                }
                if (!using.isEmpty()) {
                    Container c = running.orElse(using.getFirst());
                    throw new EngineException.Conflict("conflict: unable to remove repository reference \""
                            + ref + "\" (must force) - container " + c.shortId() + " is using its referenced image "
                            + shortId);
                }
            } else {
                if (running.isPresent()) {
                    throw new EngineException.Conflict("conflict: unable to delete " + shortId
                            + " (cannot be forced) - image is being used by running container " + running.get().shortId());
                }
                if (!using.isEmpty() && !force) {
                    throw new EngineException.Conflict("conflict: unable to delete " + shortId
                            + " (must be forced) - image is being used by stopped container " + using.getFirst().shortId());
                }
                if (tags.size() > 1 && !force) {
                    throw new EngineException.Conflict("conflict: unable to delete " + shortId
                            + " (must be forced) - image is referenced in multiple repositories");
                }
            }
            for (String t : tags) {
                db.untag(t);
                out.add(new Deletion(true, Reference.parse(t).familiar()));
                event(id, id, "untag");
            }
            if (!using.isEmpty()) {
                return out; // containers still need it: it stays, untagged
            }
            ImageRecord image = record(id);
            db.deleteImage(id);
            out.add(new Deletion(false, id));
            event(id, id, "delete");
            if (!noPrune) {
                for (String chainId : unusedLayers(image.chainIds())) {
                    layers.remove(chainId);
                    out.add(new Deletion(false, chainId));
                }
            }
            return out;
        } catch (SQLException e) {
            throw internal("delete image " + id, e);
        } catch (IOException e) {
            throw new EngineException.Internal("failed to delete layers of image " + id + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #prune} removed: Docker's untagged/deleted entries, and the bytes of the layers deleted. */
    public record PruneReport(List<Deletion> deleted, long spaceReclaimed) {}

    /**
     * {@code image prune}: removes the images no container uses (created or not running included) that {@code filter}
     * accepts; with {@code danglingOnly}, only those without a tag (Docker's image_prune.go). A tagged image loses its
     * tags and then goes.
     */
    public PruneReport prune(boolean danglingOnly, java.util.function.Predicate<ImageRecord> filter,
            Function<String, List<Container>> users, java.util.function.ToLongFunction<String> layerSize) {
        List<Deletion> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (ImageRecord image : list()) {
            if ((danglingOnly && !image.repoTags().isEmpty()) || !users.apply(image.id()).isEmpty() || !filter.test(image)) {
                continue;
            }
            Map<String, Long> sizes = new LinkedHashMap<>();
            image.chainIds().forEach(id -> sizes.put(id, layerSize.applyAsLong(id)));
            List<Deletion> removed;
            try {
                removed = remove(image.id(), true, false, users);
            } catch (EngineException.NotFound | EngineException.Conflict e) {
                continue; // removed or taken into use meanwhile
            }
            for (Deletion d : removed) {
                if (!d.untagged() && sizes.containsKey(d.what())) {
                    reclaimed += sizes.get(d.what());
                }
            }
            deleted.addAll(removed);
        }
        return new PruneReport(deleted, reclaimed);
    }

    /** Of {@code candidates}, those no remaining image stacks on, top first. */
    private List<String> unusedLayers(List<String> candidates) throws SQLException {
        Set<String> used = new HashSet<>();
        for (ImageRecord other : list()) {
            used.addAll(other.chainIds());
        }
        List<String> out = new ArrayList<>();
        for (int i = candidates.size() - 1; i >= 0; i--) {
            if (!used.contains(candidates.get(i))) {
                out.add(candidates.get(i));
            }
        }
        return out;
    }

    private static EngineException internal(String action, Exception e) {
        return new EngineException.Internal("failed to " + action + ": " + e.getMessage(), e);
    }
}
