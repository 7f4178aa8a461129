package dev.berth.store.meta;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's metadata: images, tags and containers, in one SQLite file ({@code berth.db}).
 *
 * <p>Every method is one transaction: a crash leaves either the old or the new state, never a mix. Records that change
 * shape as features grow (containers, image configs) are kept as JSON text chosen by the caller; the columns hold what
 * queries need (names must be unique, tags point at images). One connection serialises all access; SQLite in WAL mode
 * keeps readers cheap and committed transactions survive a killed process.
 */
public final class MetadataStore implements AutoCloseable {
    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS images (id TEXT PRIMARY KEY, config BLOB NOT NULL, size INTEGER NOT NULL,"
                + " created TEXT NOT NULL, last_tag_time TEXT)",
        "CREATE TABLE IF NOT EXISTS tags (ref TEXT PRIMARY KEY, image_id TEXT NOT NULL REFERENCES images(id))",
        "CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, image_id TEXT NOT NULL,"
                + " record TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS build_cache (key TEXT PRIMARY KEY, config BLOB NOT NULL, created TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS image_parents (id TEXT PRIMARY KEY, parent TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS volumes (name TEXT PRIMARY KEY, record TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS repo_digests (ref TEXT PRIMARY KEY, image_id TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS layer_blobs (diff_id TEXT PRIMARY KEY, digest TEXT NOT NULL,"
                + " media_type TEXT NOT NULL, size INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS blob_sources (digest TEXT NOT NULL, registry TEXT NOT NULL, repository TEXT NOT NULL,"
                + " seen INTEGER NOT NULL, PRIMARY KEY(digest, registry, repository))",
        "CREATE TABLE IF NOT EXISTS push_uploads (registry TEXT NOT NULL, repository TEXT NOT NULL, digest TEXT NOT NULL,"
                + " location TEXT NOT NULL, PRIMARY KEY(registry, repository, digest))",
    };
    /** Where foreign layers live, one URL a line; a column of its own, added to older databases. */
    private static final String LAYER_BLOB_URLS = "ALTER TABLE layer_blobs ADD COLUMN urls TEXT";

    private final Connection connection;

    private MetadataStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating if needed) the database file at {@code file}. */
    public static MetadataStore open(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=5000");
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pragma_table_info('layer_blobs') WHERE name='urls'")) {
                if (!r.next()) {
                    s.execute(LAYER_BLOB_URLS); // a database of a daemon that predates foreign layers
                }
            }
        }
        return new MetadataStore(c);
    }

    /** An image as stored: its ID ("sha256:..."), the config bytes it is the digest of, and bookkeeping. */
    public record ImageRow(String id, byte[] config, long size, String created, String lastTagTime) {}

    /** A container as stored: the caller's JSON record, with name and image kept apart for uniqueness and references. */
    public record ContainerRow(String id, String name, String imageId, String record) {}

    public synchronized void putImage(ImageRow image) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO images(id, config, size, created, last_tag_time) VALUES(?,?,?,?,?)"
                        + " ON CONFLICT(id) DO NOTHING")) {
            p.setString(1, image.id());
            p.setBytes(2, image.config());
            p.setLong(3, image.size());
            p.setString(4, image.created());
            p.setString(5, image.lastTagTime());
            p.executeUpdate();
        }
    }

    public synchronized Optional<ImageRow> image(String id) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT * FROM images WHERE id=?")) {
            p.setString(1, id);
            List<ImageRow> rows = images(p);
            return rows.stream().findFirst();
        }
    }

    public synchronized List<ImageRow> images() throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT * FROM images")) {
            return images(p);
        }
    }

    private static List<ImageRow> images(PreparedStatement p) throws SQLException {
        List<ImageRow> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new ImageRow(r.getString("id"), r.getBytes("config"), r.getLong("size"),
                        r.getString("created"), r.getString("last_tag_time")));
            }
        }
        return out;
    }

    /** Remembers the image config a build step with this cache key produced. */
    public synchronized void putBuildCache(String key, byte[] config, String created) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO build_cache(key, config, created) VALUES(?,?,?)"
                        + " ON CONFLICT(key) DO UPDATE SET config=excluded.config, created=excluded.created")) {
            p.setString(1, key);
            p.setBytes(2, config);
            p.setString(3, created);
            p.executeUpdate();
        }
    }

    public synchronized Optional<byte[]> buildCache(String key) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT config FROM build_cache WHERE key=?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
            }
        }
    }

    /** Records the image an image was made from (a commit's or a build's base), for {@code history}. */
    public synchronized void putParent(String id, String parent) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO image_parents(id, parent) VALUES(?,?) ON CONFLICT(id) DO NOTHING")) {
            p.setString(1, id);
            p.setString(2, parent);
            p.executeUpdate();
        }
    }

    public synchronized Optional<String> parent(String id) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT parent FROM image_parents WHERE id=?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /** Deletes an image and every tag pointing at it. */
    public synchronized void deleteImage(String id) throws SQLException {
        inTransaction(() -> {
            try (PreparedStatement t = connection.prepareStatement("DELETE FROM tags WHERE image_id=?");
                    PreparedStatement d = connection.prepareStatement("DELETE FROM repo_digests WHERE image_id=?");
                    PreparedStatement i = connection.prepareStatement("DELETE FROM images WHERE id=?")) {
                t.setString(1, id);
                t.executeUpdate();
                d.setString(1, id);
                d.executeUpdate();
                i.setString(1, id);
                i.executeUpdate();
            }
        });
    }

    /** Points {@code ref} (a normalised reference such as "docker.io/library/busybox:latest") at an image. */
    public synchronized void tag(String ref, String imageId, String time) throws SQLException {
        inTransaction(() -> {
            try (PreparedStatement t = connection.prepareStatement(
                            "INSERT INTO tags(ref, image_id) VALUES(?,?) ON CONFLICT(ref) DO UPDATE SET image_id=excluded.image_id");
                    PreparedStatement i = connection.prepareStatement("UPDATE images SET last_tag_time=? WHERE id=?")) {
                t.setString(1, ref);
                t.setString(2, imageId);
                t.executeUpdate();
                i.setString(1, time);
                i.setString(2, imageId);
                i.executeUpdate();
            }
        });
    }

    /** Removes a tag; returns whether it existed. */
    public synchronized boolean untag(String ref) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM tags WHERE ref=?")) {
            p.setString(1, ref);
            return p.executeUpdate() > 0;
        }
    }

    public synchronized Optional<String> resolveTag(String ref) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT image_id FROM tags WHERE ref=?")) {
            p.setString(1, ref);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /** Every tag of an image, sorted. */
    public synchronized List<String> tagsOf(String imageId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT ref FROM tags WHERE image_id=? ORDER BY ref")) {
            p.setString(1, imageId);
            List<String> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    /** Inserts a container; fails with {@link NameTaken} if another container has the name. */
    public synchronized void insertContainer(ContainerRow row) throws SQLException, NameTaken {
        Optional<ContainerRow> holder = containerByName(row.name());
        if (holder.isPresent()) {
            throw new NameTaken(row.name(), holder.get().id());
        }
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO containers(id, name, image_id, record) VALUES(?,?,?,?)")) {
            p.setString(1, row.id());
            p.setString(2, row.name());
            p.setString(3, row.imageId());
            p.setString(4, row.record());
            p.executeUpdate();
        }
    }

    /** Replaces a container's record (and name, which must stay unique). */
    public synchronized void updateContainer(ContainerRow row) throws SQLException, NameTaken {
        Optional<ContainerRow> holder = containerByName(row.name());
        if (holder.isPresent() && !holder.get().id().equals(row.id())) {
            throw new NameTaken(row.name(), holder.get().id());
        }
        try (PreparedStatement p = connection.prepareStatement(
                "UPDATE containers SET name=?, image_id=?, record=? WHERE id=?")) {
            p.setString(1, row.name());
            p.setString(2, row.imageId());
            p.setString(3, row.record());
            p.setString(4, row.id());
            p.executeUpdate();
        }
    }

    public synchronized void deleteContainer(String id) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM containers WHERE id=?")) {
            p.setString(1, id);
            p.executeUpdate();
        }
    }

    public synchronized List<ContainerRow> containers() throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT * FROM containers")) {
            return containers(p);
        }
    }

    public synchronized Optional<ContainerRow> containerByName(String name) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT * FROM containers WHERE name=?")) {
            p.setString(1, name);
            return containers(p).stream().findFirst();
        }
    }

    private static List<ContainerRow> containers(PreparedStatement p) throws SQLException {
        List<ContainerRow> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new ContainerRow(r.getString("id"), r.getString("name"), r.getString("image_id"),
                        r.getString("record")));
            }
        }
        return out;
    }

    /** Inserts a volume's record (the caller's JSON); returns false when a volume of that name exists. */
    public synchronized boolean insertVolume(String name, String record) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO volumes(name, record) VALUES(?,?) ON CONFLICT(name) DO NOTHING")) {
            p.setString(1, name);
            p.setString(2, record);
            return p.executeUpdate() > 0;
        }
    }

    /** Every volume: name to the caller's JSON record. */
    public synchronized java.util.Map<String, String> volumes() throws SQLException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT name, record FROM volumes");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    public synchronized void deleteVolume(String name) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM volumes WHERE name=?")) {
            p.setString(1, name);
            p.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }

    private void inTransaction(SqlWork work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Records that {@code ref} ("docker.io/library/busybox@sha256:...") names an image, as pulls and pushes learn. */
    public synchronized void putRepoDigest(String ref, String imageId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO repo_digests(ref, image_id) VALUES(?,?) ON CONFLICT(ref) DO UPDATE SET image_id=excluded.image_id")) {
            p.setString(1, ref);
            p.setString(2, imageId);
            p.executeUpdate();
        }
    }

    public synchronized void deleteRepoDigest(String ref) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM repo_digests WHERE ref=?")) {
            p.setString(1, ref);
            p.executeUpdate();
        }
    }

    public synchronized List<String> repoDigestsOf(String imageId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT ref FROM repo_digests WHERE image_id=? ORDER BY ref")) {
            p.setString(1, imageId);
            List<String> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    public synchronized Optional<String> resolveRepoDigest(String ref) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT image_id FROM repo_digests WHERE ref=?")) {
            p.setString(1, ref);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The compressed blob a layer (by diff id) was pulled as or pushed as, so a push sends the same bytes; {@code urls}
     * are where a foreign layer lives, as its manifest said, so a push names them again.
     */
    public record LayerBlob(String diffId, String digest, String mediaType, long size, List<String> urls) {
        public LayerBlob {
            urls = urls == null ? List.of() : List.copyOf(urls);
        }

        public LayerBlob(String diffId, String digest, String mediaType, long size) {
            this(diffId, digest, mediaType, size, List.of());
        }
    }

    public synchronized void putLayerBlob(LayerBlob b) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO layer_blobs(diff_id, digest, media_type, size, urls) VALUES(?,?,?,?,?)"
                        + " ON CONFLICT(diff_id) DO NOTHING")) {
            p.setString(1, b.diffId());
            p.setString(2, b.digest());
            p.setString(3, b.mediaType());
            p.setLong(4, b.size());
            p.setString(5, b.urls().isEmpty() ? null : String.join("\n", b.urls()));
            p.executeUpdate();
        }
    }

    public synchronized Optional<LayerBlob> layerBlob(String diffId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT * FROM layer_blobs WHERE diff_id=?")) {
            p.setString(1, diffId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                String urls = r.getString("urls");
                return Optional.of(new LayerBlob(r.getString("diff_id"), r.getString("digest"), r.getString("media_type"),
                        r.getLong("size"), urls == null ? List.of() : List.of(urls.split("\n"))));
            }
        }
    }

    /** Records that {@code registry/repository} holds the blob (pulled from or pushed to it), as the newest source. */
    public synchronized void putBlobSource(String digest, String registry, String repository) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO blob_sources(digest, registry, repository,"
                + " seen) VALUES(?,?,?,?) ON CONFLICT(digest, registry, repository) DO UPDATE SET seen=excluded.seen")) {
            p.setString(1, digest);
            p.setString(2, registry);
            p.setString(3, repository);
            p.setLong(4, System.currentTimeMillis());
            p.executeUpdate();
        }
    }

    /** The repositories of {@code registry} known to hold the blob, most recently seen first. */
    public synchronized List<String> blobSources(String digest, String registry) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT repository FROM blob_sources WHERE digest=?"
                + " AND registry=? ORDER BY seen DESC, repository")) {
            p.setString(1, digest);
            p.setString(2, registry);
            List<String> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    /** The upload URL a push of the blob to {@code registry/repository} left open, or null to forget it. */
    public synchronized void putPushUpload(String registry, String repository, String digest, String location)
            throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(location == null
                ? "DELETE FROM push_uploads WHERE registry=? AND repository=? AND digest=?"
                : "INSERT INTO push_uploads(registry, repository, digest, location) VALUES(?,?,?,?)"
                        + " ON CONFLICT(registry, repository, digest) DO UPDATE SET location=excluded.location")) {
            p.setString(1, registry);
            p.setString(2, repository);
            p.setString(3, digest);
            if (location != null) {
                p.setString(4, location);
            }
            p.executeUpdate();
        }
    }

    public synchronized Optional<String> pushUpload(String registry, String repository, String digest)
            throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT location FROM push_uploads WHERE registry=?"
                + " AND repository=? AND digest=?")) {
            p.setString(1, registry);
            p.setString(2, repository);
            p.setString(3, digest);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }

    /** Another container already has this name. */
    public static final class NameTaken extends Exception {
        private static final long serialVersionUID = 1L;
        private final String holderId;

        NameTaken(String name, String holderId) {
            super("name " + name + " is in use by container " + holderId);
            this.holderId = holderId;
        }

        public String holderId() {
            return holderId;
        }
    }
}
