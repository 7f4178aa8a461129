package dev.berth.engine.images;

import dev.berth.engine.EngineException;
import dev.berth.oci.Digest;
import dev.berth.registry.BlobSources;
import dev.berth.store.meta.MetadataStore;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The daemon's {@link BlobSources}, kept in the metadata database so mounts and push resumes survive restarts. */
public final class BlobHistory implements BlobSources {
    private final MetadataStore db;

    public BlobHistory(MetadataStore db) {
        this.db = db;
    }

    @Override
    public void seen(String registry, String repository, Digest digest) {
        try {
            db.putBlobSource(digest.toString(), registry, repository);
        } catch (SQLException e) {
            throw internal(digest, e);
        }
    }

    @Override
    public List<String> repositories(String registry, Digest digest) {
        try {
            return db.blobSources(digest.toString(), registry);
        } catch (SQLException e) {
            throw internal(digest, e);
        }
    }

    @Override
    public Optional<String> upload(String registry, String repository, Digest digest) {
        try {
            return db.pushUpload(registry, repository, digest.toString());
        } catch (SQLException e) {
            throw internal(digest, e);
        }
    }

    @Override
    public void upload(String registry, String repository, Digest digest, String location) {
        try {
            db.putPushUpload(registry, repository, digest.toString(), location);
        } catch (SQLException e) {
            throw internal(digest, e);
        }
    }

    private static EngineException internal(Digest digest, SQLException e) {
        return new EngineException.Internal("cannot record where blob " + digest + " is: " + e.getMessage(), e);
    }
}
