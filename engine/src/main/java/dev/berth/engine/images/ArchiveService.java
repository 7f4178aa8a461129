package dev.berth.engine.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.EngineException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Index;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.oci.Reference;
import dev.berth.registry.Manifests;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;
import dev.berth.store.LayerTar;
import dev.berth.store.meta.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code docker save} and {@code docker load}. Save writes what Docker 25+ writes: an archive that is both Docker's
 * format ({@code manifest.json} with config, repo tags and layer paths per image, and {@code repositories}) and an OCI
 * image layout ({@code oci-layout}, and {@code index.json} naming one OCI manifest per tag, annotated with the image
 * name and tag), over one set of blobs under {@code blobs/sha256/}: configs, uncompressed layer tars named by their diff
 * id, and the manifests. Load reads Docker 25+ archives and older ones ({@code <id>/layer.tar}) alike, since it only
 * follows the paths manifest.json gives, and archives that are only an OCI layout ({@code skopeo copy ...
 * oci-archive:x.tar}), following index.json to each image's manifest (through nested indexes, to this host's platform).
 */
public final class ArchiveService {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** containerd's annotation for an image's full name, which Docker 25+ writes and reads in index.json. */
    private static final String IMAGE_NAME = "io.containerd.image.name";
    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    /** Nested indexes an OCI layout may have before its manifests. */
    private static final int MAX_INDEX_DEPTH = 4;

    private final ImageService images;
    private final LayerStore layers;
    private final ContentStore content;
    private final Path scratch;

    public ArchiveService(ImageService images, LayerStore layers, ContentStore content, Path scratch) {
        this.images = images;
        this.layers = layers;
        this.content = content;
        this.scratch = scratch;
    }

    public ImageService images() {
        return images;
    }

    /** Writes the images {@code names} name (with the tags named, or all tags of an image named by ID) as a tar. */
    public void save(List<String> names, OutputStream out) throws IOException {
        Map<String, List<String>> tagsById = new LinkedHashMap<>();
        for (String n : names) {
            ImageRecord r = images.inspect(n);
            List<String> tags = tagsById.computeIfAbsent(r.id(), k -> new ArrayList<>());
            Optional<Reference> ref = parse(n);
            if (ref.isPresent() && r.repoTags().contains(ref.get().familiar())) {
                tags.add(ref.get().familiar());
            } else if (!n.startsWith("sha256:") && !r.id().substring(7).startsWith(n)) {
                tags.addAll(r.repoTags());
            }
        }
        Path dir = Files.createTempDirectory(scratch, "save-");
        Map<String, Long> layerSizes = new java.util.HashMap<>();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Set<String> written = new LinkedHashSet<>();
            ArrayNode manifest = JSON.createArrayNode();
            ObjectNode repositories = JSON.createObjectNode();
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            ArrayNode indexed = index.putArray("manifests");
            for (Map.Entry<String, List<String>> e : tagsById.entrySet()) {
                ImageService.RawImage raw = images.raw(e.getKey()).orElseThrow();
                String configPath = "blobs/sha256/" + raw.id().substring(7);
                add(tar, written, configPath, raw.config());
                ObjectNode m = manifest.addObject();
                m.put("Config", configPath);
                ArrayNode repoTags = m.putArray("RepoTags");
                e.getValue().forEach(repoTags::add);
                ArrayNode ls = m.putArray("Layers");
                List<String> diffIds = new ArrayList<>();
                JSON.readTree(raw.config()).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
                List<String> chainIds = layers.chainIds(diffIds);
                ObjectNode oci = JSON.createObjectNode();
                oci.put("schemaVersion", 2);
                oci.put("mediaType", MediaTypes.OCI_MANIFEST);
                oci.set("config", descriptor(MediaTypes.OCI_CONFIG, raw.id(), raw.config().length));
                ArrayNode ociLayers = oci.putArray("layers");
                for (int i = 0; i < diffIds.size(); i++) {
                    String path = "blobs/sha256/" + Digest.parse(diffIds.get(i)).hex();
                    ls.add(path);
                    if (written.add(path)) {
                        Path layerTar = layerTar(dir, diffIds.get(i), chainIds.get(i));
                        long size = Files.size(layerTar);
                        layerSizes.put(path, size);
                        TarArchiveEntry entry = new TarArchiveEntry(path);
                        entry.setSize(size);
                        tar.putArchiveEntry(entry);
                        Files.copy(layerTar, tar);
                        tar.closeArchiveEntry();
                        Files.delete(layerTar);
                    }
                    ociLayers.add(descriptor(MediaTypes.OCI_LAYER, diffIds.get(i), layerSizes.get(path)));
                }
                byte[] ociBytes = JSON.writeValueAsBytes(oci);
                Digest ociDigest = Digest.sha256(ociBytes);
                add(tar, written, "blobs/sha256/" + ociDigest.hex(), ociBytes);
                for (String t : e.getValue().isEmpty() ? java.util.Collections.<String>singletonList(null)
                        : e.getValue()) {
                    ObjectNode d = descriptor(MediaTypes.OCI_MANIFEST, ociDigest.toString(), ociBytes.length);
                    if (t != null) {
                        Reference r = Reference.parse(t);
                        d.putObject("annotations").put(IMAGE_NAME, r.toString()).put(REF_NAME, r.tag());
                    }
                    indexed.add(d);
                }
                for (String t : e.getValue()) {
                    int colon = t.lastIndexOf(':');
                    repositories.withObjectProperty(t.substring(0, colon)).put(t.substring(colon + 1),
                            raw.id().substring(7));
                }
            }
            add(tar, written, "index.json", JSON.writeValueAsBytes(index));
            add(tar, written, "manifest.json", JSON.writeValueAsBytes(manifest));
            add(tar, written, "oci-layout", OCI_LAYOUT);
            add(tar, written, "repositories", JSON.writeValueAsBytes(repositories));
            tar.finish();
        } finally {
            deleteTree(dir);
        }
    }

    /** The layer's uncompressed tar, with the bytes its diff id names when the original blob was kept. */
    private Path layerTar(Path dir, String diffId, String chainId) throws IOException {
        Path file = dir.resolve(Digest.parse(diffId).hex());
        Optional<MetadataStore.LayerBlob> blob = images.layerBlob(diffId);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (blob.isPresent() && content.has(Digest.parse(blob.get().digest()))) {
                try (InputStream in = LayerStore.uncompressed(Files.newInputStream(
                        content.path(Digest.parse(blob.get().digest()))))) {
                    in.transferTo(out);
                }
            } else {
                LayerTar.writeDiff(layers.diffDir(chainId), out);
            }
        }
        return file;
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static void add(TarArchiveOutputStream tar, Set<String> written, String name, byte[] bytes)
            throws IOException {
        if (!written.add(name)) {
            return;
        }
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** Loads every image of an archive, reporting Docker's "Loaded image: busybox:latest" lines. */
    public void load(InputStream archive, Consumer<String> loaded) throws IOException {
        Path dir = Files.createTempDirectory(scratch, "load-");
        try {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    if (!e.isFile()) {
                        continue;
                    }
                    Path target = dir.resolve(e.getName()).normalize();
                    if (!target.startsWith(dir)) {
                        throw new EngineException.InvalidArgument("invalid archive entry " + e.getName());
                    }
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                }
            }
            Path manifestFile = dir.resolve("manifest.json");
            List<Archived> archived = Files.exists(manifestFile) ? dockerImages(dir, manifestFile)
                    : Files.exists(dir.resolve("index.json")) ? ociImages(dir)
                    : null;
            if (archived == null) {
                throw new EngineException.InvalidArgument("invalid tar header: no manifest.json in the archive");
            }
            for (Archived a : archived) {
                loadOne(a, loaded);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** One image of an archive: its config, its layer files (bottom first) and the tags it comes with. */
    private record Archived(byte[] config, List<Path> layers, List<String> tags) {}

    private static List<Archived> dockerImages(Path dir, Path manifestFile) throws IOException {
        List<Archived> out = new ArrayList<>();
        for (JsonNode m : JSON.readTree(manifestFile.toFile())) {
            byte[] config = Files.readAllBytes(inside(dir, m.path("Config").asText()));
            List<Path> files = new ArrayList<>();
            for (JsonNode p : m.path("Layers")) {
                files.add(inside(dir, p.asText()));
            }
            List<String> tags = new ArrayList<>();
            m.path("RepoTags").forEach(t -> tags.add(t.asText()));
            out.add(new Archived(config, files, tags));
        }
        return out;
    }

    /**
     * The images of an OCI layout: each entry of index.json, through nested indexes to this host's platform. An entry's
     * name is containerd's image-name annotation, else its ref-name annotation when that is a whole reference (skopeo
     * writes what it was given); an entry with neither loads untagged.
     */
    private static List<Archived> ociImages(Path dir) throws IOException {
        List<Archived> out = new ArrayList<>();
        for (JsonNode d : JSON.readTree(inside(dir, "index.json").toFile()).path("manifests")) {
            JsonNode annotations = d.path("annotations");
            String name = annotations.path(IMAGE_NAME).asText("");
            String refName = annotations.path(REF_NAME).asText("");
            if (name.isEmpty() && (refName.contains(":") || refName.contains("/")) && parse(refName).isPresent()) {
                name = refName;
            }
            JsonNode manifest = ociManifest(dir, d, 0);
            byte[] config = Files.readAllBytes(blob(dir, manifest.path("config").path("digest").asText()));
            List<Path> files = new ArrayList<>();
            for (JsonNode l : manifest.path("layers")) {
                files.add(blob(dir, l.path("digest").asText()));
            }
            out.add(new Archived(config, files, name.isEmpty() ? List.of() : List.of(name)));
        }
        return out;
    }

    private static JsonNode ociManifest(Path dir, JsonNode descriptor, int depth) throws IOException {
        JsonNode n = JSON.readTree(Files.readAllBytes(blob(dir, descriptor.path("digest").asText())));
        if (!n.has("manifests")) {
            return n;
        }
        if (depth >= MAX_INDEX_DEPTH) {
            throw new EngineException.InvalidArgument("invalid archive: indexes nested deeper than " + MAX_INDEX_DEPTH);
        }
        Index index = Manifests.index(JSON.writeValueAsBytes(n), MediaTypes.OCI_INDEX);
        Descriptor chosen = index.select(Platform.host()).orElseThrow(() -> new EngineException.InvalidArgument(
                "no matching manifest for " + Platform.host() + " in the archive's index"));
        for (JsonNode m : n.path("manifests")) {
            if (m.path("digest").asText().equals(chosen.digest().toString())) {
                return ociManifest(dir, m, depth + 1);
            }
        }
        throw new IllegalStateException("selected manifest not in its index");
    }

    private static Path blob(Path dir, String digest) {
        try {
            return inside(dir, "blobs/" + Digest.parse(digest).algorithm() + "/" + Digest.parse(digest).hex());
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid archive: bad digest " + digest);
        }
    }

    private void loadOne(Archived a, Consumer<String> loaded) throws IOException {
        List<String> diffIds = Manifests.diffIds(a.config());
        List<String> chainIds = layers.chainIds(diffIds);
        if (a.layers().size() != diffIds.size()) {
            throw new EngineException.InvalidArgument("invalid manifest, layers length mismatch: expected "
                    + diffIds.size() + ", got " + a.layers().size());
        }
        long size = 0;
        for (int i = 0; i < diffIds.size(); i++) {
            if (layers.exists(chainIds.get(i))) {
                continue;
            }
            Path layerFile = a.layers().get(i);
            try (InputStream in = Files.newInputStream(layerFile)) {
                size += layers.unpackExpected(new java.io.BufferedInputStream(in, 1 << 20), chainIds.get(i),
                        diffIds.get(i), () -> { }).size();
            }
            try (InputStream in = Files.newInputStream(layerFile); ContentStore.Writer keep = content.writer()) {
                in.transferTo(keep);
                ContentStore.Written w = keep.commit();
                images.putLayerBlob(new MetadataStore.LayerBlob(diffIds.get(i), w.digest().toString(),
                        TeeInputStream.mediaType(content.path(w.digest())), w.size()));
            }
        }
        layers.sync();
        List<String> familiar = images.store(a.config(), size, null, a.tags());
        if (familiar.isEmpty()) {
            loaded.accept("Loaded image ID: " + Digest.sha256(a.config()));
        }
        familiar.forEach(t -> loaded.accept("Loaded image: " + t));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path inside(Path dir, String name) {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
            throw new EngineException.InvalidArgument("invalid archive: missing or unsafe entry " + name);
        }
        return p;
    }

    private static Optional<Reference> parse(String s) {
        try {
            return Optional.of(Reference.parse(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
