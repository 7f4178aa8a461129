package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.berth.engine.EngineException;
import dev.berth.store.meta.MetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The containers the daemon knows: kept in memory for reads, written through to the metadata database on every change.
 * Looks containers up the way Docker does: full ID, then exact name, then unique ID prefix.
 */
public final class ContainerRegistry {
    private final MetadataStore db;
    /** Records are read leniently: a field a newer version dropped must not make a container unreadable. */
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Map<String, Container> byId = new ConcurrentHashMap<>();

    public ContainerRegistry(MetadataStore db) throws SQLException {
        this.db = db;
        for (MetadataStore.ContainerRow row : db.containers()) {
            try {
                byId.put(row.id(), json.readValue(row.record(), Container.class));
            } catch (IOException e) {
                throw new UncheckedIOException("container record " + row.id() + " is unreadable", e);
            }
        }
    }

    /** Adds a new container; fails with Docker's conflict message if its name is taken. */
    public void add(Container c) {
        try {
            db.insertContainer(row(c));
        } catch (MetadataStore.NameTaken e) {
            throw nameConflict(c.name(), e.holderId());
        } catch (SQLException e) {
            throw new EngineException.Internal("failed to record container " + c.id() + ": " + e.getMessage(), e);
        }
        byId.put(c.id(), c);
    }

    /** Replaces the stored record of a container that exists. */
    public Container update(Container c) {
        try {
            db.updateContainer(row(c));
        } catch (MetadataStore.NameTaken e) {
            throw nameConflict(c.name(), e.holderId());
        } catch (SQLException e) {
            throw new EngineException.Internal("failed to record container " + c.id() + ": " + e.getMessage(), e);
        }
        byId.put(c.id(), c);
        return c;
    }

    public void remove(String id) {
        try {
            db.deleteContainer(id);
        } catch (SQLException e) {
            throw new EngineException.Internal("failed to remove container " + id + ": " + e.getMessage(), e);
        }
        byId.remove(id);
    }

    public Optional<Container> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Finds a container by full ID, name (with or without '/'), or unique ID prefix; else Docker's 404. */
    public Container find(String ref) {
        return lookup(ref).orElseThrow(() -> new EngineException.NotFound("No such container: " + ref));
    }

    public Optional<Container> lookup(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        Container exact = byId.get(ref);
        if (exact != null) {
            return Optional.of(exact);
        }
        String name = ref.startsWith("/") ? ref.substring(1) : ref;
        for (Container c : byId.values()) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        List<Container> prefixed = new ArrayList<>();
        for (Container c : byId.values()) {
            if (c.id().startsWith(ref)) {
                prefixed.add(c);
            }
        }
        if (prefixed.size() > 1) {
            throw new EngineException.InvalidArgument("multiple IDs found with provided prefix: " + ref);
        }
        return prefixed.stream().findFirst();
    }

    public Optional<Container> lookupByName(String name) {
        return byId.values().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<Container> all() {
        return List.copyOf(byId.values());
    }

    private MetadataStore.ContainerRow row(Container c) {
        try {
            return new MetadataStore.ContainerRow(c.id(), c.name(), c.imageId(), json.writeValueAsString(c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EngineException nameConflict(String name, String holderId) {
        return new EngineException.Conflict("Conflict. The container name \"/" + name
                + "\" is already in use by container \"" + holderId
                + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }
}
