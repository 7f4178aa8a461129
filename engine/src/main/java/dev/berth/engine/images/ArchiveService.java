package dev.berth.engine.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.EngineException;
import dev.berth.oci.Digest;
import dev.berth.oci.Reference;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;
import dev.berth.store.LayerTar;
import dev.berth.store.meta.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * {@code docker save} and {@code docker load} in Docker's archive format: {@code manifest.json} (config, repo tags and
 * layer paths per image), {@code repositories}, and configs and uncompressed layer tars under {@code blobs/sha256/}
 * named by digest, as Docker 25+ lays them out. Load reads Docker 25+ archives and older ones ({@code <id>/layer.tar})
 * alike, since it only follows the paths manifest.json gives.
 */
public final class ArchiveService {
    private static final ObjectMapper JSON = new ObjectMapper();

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
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Set<String> written = new LinkedHashSet<>();
            ArrayNode manifest = JSON.createArrayNode();
            ObjectNode repositories = JSON.createObjectNode();
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
                for (int i = 0; i < diffIds.size(); i++) {
                    String path = "blobs/sha256/" + Digest.parse(diffIds.get(i)).hex();
                    ls.add(path);
                    if (written.add(path)) {
                        Path layerTar = layerTar(dir, diffIds.get(i), chainIds.get(i));
                        TarArchiveEntry entry = new TarArchiveEntry(path);
                        entry.setSize(Files.size(layerTar));
                        tar.putArchiveEntry(entry);
                        Files.copy(layerTar, tar);
                        tar.closeArchiveEntry();
                        Files.delete(layerTar);
                    }
                }
                for (String t : e.getValue()) {
                    int colon = t.lastIndexOf(':');
                    repositories.withObjectProperty(t.substring(0, colon)).put(t.substring(colon + 1),
                            raw.id().substring(7));
                }
            }
            add(tar, written, "manifest.json", JSON.writeValueAsBytes(manifest));
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
            if (!Files.exists(manifestFile)) {
                throw new EngineException.InvalidArgument("invalid tar header: no manifest.json in the archive");
            }
            for (JsonNode m : JSON.readTree(manifestFile.toFile())) {
                byte[] config = Files.readAllBytes(inside(dir, m.path("Config").asText()));
                List<String> diffIds = new ArrayList<>();
                JSON.readTree(config).path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
                List<String> chainIds = layers.chainIds(diffIds);
                JsonNode paths = m.path("Layers");
                if (paths.size() != diffIds.size()) {
                    throw new EngineException.InvalidArgument("invalid manifest, layers length mismatch: expected "
                            + diffIds.size() + ", got " + paths.size());
                }
                long size = 0;
                for (int i = 0; i < diffIds.size(); i++) {
                    if (layers.exists(chainIds.get(i))) {
                        continue;
                    }
                    Path layerFile = inside(dir, paths.get(i).asText());
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
                List<String> tags = new ArrayList<>();
                m.path("RepoTags").forEach(t -> tags.add(t.asText()));
                List<String> familiar = images.store(config, size, null, tags);
                if (familiar.isEmpty()) {
                    loaded.accept("Loaded image ID: " + Digest.sha256(config));
                }
                familiar.forEach(t -> loaded.accept("Loaded image: " + t));
            }
        } finally {
            deleteTree(dir);
        }
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
