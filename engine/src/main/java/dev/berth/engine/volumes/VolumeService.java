package dev.berth.engine.volumes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.events.EventBus;
import dev.berth.linux.LinuxException;
import dev.berth.linux.Mounts;
import dev.berth.store.FileTrees;
import dev.berth.store.TreeTar;
import dev.berth.store.TreeUntar;
import dev.berth.store.meta.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Local volumes: create, list, inspect, remove, prune; and beyond Docker, export to a tar, import from one, clone.
 *
 * <p>A volume is a database record (the commit point) and a directory {@code volumes/<name>/_data}. Create makes the
 * directory first, so a crash leaves at most an unlisted directory that a later create of the same name reuses. A
 * volume created with driver options ({@code type}, {@code device}, {@code o}) has that file system mounted on its data
 * directory from create until remove, and again each time the daemon starts.
 *
 * <p>Which containers use a volume comes from {@code users}: a volume in use by any container, running or not, cannot
 * be removed, as in Docker.
 */
public final class VolumeService {
    private static final Logger LOG = Logger.getLogger(VolumeService.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Set<String> OPTION_KEYS = Set.of("type", "device", "o", "size");
    /** Written before the image's content is copied into a volume, removed once the copy is complete. */
    static final String COPY_MARKER = "copy-up.incomplete";

    private final DaemonConfig config;
    private final MetadataStore db;
    private final Clock clock;
    private final EventBus events;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    private volatile Function<String, List<String>> users = name -> List.of();

    public VolumeService(DaemonConfig config, MetadataStore db, Clock clock, EventBus events) {
        this.config = config;
        this.db = db;
        this.clock = clock;
        this.events = events;
    }

    /** Tells the service which containers (their IDs) use a volume; set once the container service exists. */
    public void usersFrom(Function<String, List<String>> containersUsing) {
        this.users = containersUsing;
    }

    /** Mounts again the file systems of volumes created with driver options (a reboot or a daemon restart lost them). */
    public void open() {
        for (Volume v : list()) {
            if (!v.options().isEmpty()) {
                try {
                    if (dev.berth.store.MountInfo.isMountPoint(mountpoint(v.name()))) {
                        continue; // the daemon restarted, the machine did not: still mounted
                    }
                    mountOptions(v);
                } catch (IOException | EngineException e) {
                    LOG.log(Level.WARNING, "cannot mount volume " + v.name(), e);
                }
            }
        }
    }

    public Path directory(String name) {
        return config.dataRoot().resolve("volumes").resolve(name);
    }

    public Path mountpoint(String name) {
        return directory(name).resolve("_data");
    }

    /**
     * Creates a volume, or returns the existing one of that name (as Docker does). An empty name makes an anonymous
     * volume with a random 64-hex name.
     */
    public synchronized Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels) {
        boolean anonymous = name == null || name.isEmpty();
        if (anonymous) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            name = HexFormat.of().formatHex(b);
        } else {
            validateName(name);
        }
        if (driver != null && !driver.isEmpty() && !driver.equals("local")) {
            throw new EngineException.NotFound("error looking up volume plugin " + driver + ": plugin \"" + driver
                    + "\" not found");
        }
        java.util.Optional<Volume> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        Map<String, String> opts = options == null ? Map.of() : options;
        for (String k : opts.keySet()) {
            if (!OPTION_KEYS.contains(k)) {
                throw new EngineException.InvalidArgument("create " + name + ": invalid option key: \"" + k + "\"");
            }
        }
        if (!opts.isEmpty() && !opts.containsKey("type") && !opts.getOrDefault("o", "").contains("bind")) {
            throw new EngineException.InvalidArgument("create " + name + ": missing required option: \"type\"");
        }
        if (opts.containsKey("type") && !opts.containsKey("device")) {
            throw new EngineException.InvalidArgument("create " + name + ": missing required option: \"device\"");
        }
        Map<String, String> allLabels = new LinkedHashMap<>(labels == null ? Map.of() : labels);
        if (anonymous) {
            allLabels.put(Volume.ANONYMOUS_LABEL, "");
        }
        Volume v = new Volume(name, "local", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                allLabels, opts);
        Path data = mountpoint(name);
        try {
            Files.createDirectories(directory(name), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx-----x")));
            Files.createDirectories(data);
            if (!opts.isEmpty()) {
                mountOptions(v);
            }
            db.insertVolume(name, json.writeValueAsString(v));
        } catch (IOException | SQLException e) {
            unmountQuietly(data);
            throw new EngineException.Internal("create " + name + ": " + e.getMessage(), e);
        }
        events.emit("volume", "create", name, Map.of("driver", "local"));
        return v;
    }

    static void validateName(String name) {
        if (name.length() == 1) {
            throw new EngineException.InvalidArgument("create " + name
                    + ": volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw new EngineException.InvalidArgument("create " + name + ": \"" + name + "\" includes invalid characters"
                    + " for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass"
                    + " a host directory, use absolute path");
        }
    }

    /** The local driver's mount of its options: {@code mount -t type -o o device _data}. */
    private void mountOptions(Volume v) throws IOException {
        Path data = mountpoint(v.name());
        String type = v.options().getOrDefault("type", "");
        String device = v.options().getOrDefault("device", "");
        String o = v.options().getOrDefault("o", "");
        if (v.options().containsKey("size")) {
            o = o.isEmpty() ? "size=" + v.options().get("size") : o + ",size=" + v.options().get("size");
        }
        List<String> flags = new ArrayList<>(List.of(o.split(",")));
        long mountFlags = 0;
        if (flags.remove("bind")) {
            mountFlags |= 4096; // MS_BIND
            type = "none";
            if (!Files.isDirectory(Path.of(device))) {
                throw new EngineException.InvalidArgument("create " + v.name() + ": failed to mount local volume: mount "
                        + device + ":" + data + ", flags: 0x1000: no such file or directory");
            }
        }
        if (flags.remove("ro")) {
            mountFlags |= Mounts.MS_RDONLY;
        }
        flags.removeIf(String::isEmpty);
        try {
            Mounts.mount(device, data, type, mountFlags, flags.isEmpty() ? null : String.join(",", flags));
        } catch (LinuxException e) {
            throw new EngineException.InvalidArgument("create " + v.name() + ": failed to mount local volume: "
                    + e.getMessage());
        }
    }

    private static void unmountQuietly(Path data) {
        try {
            Mounts.umount2(data, Mounts.MNT_DETACH);
        } catch (LinuxException e) {
            // not mounted: nothing to undo
        }
    }

    public java.util.Optional<Volume> find(String name) {
        try {
            String record = db.volumes().get(name);
            return record == null ? java.util.Optional.empty() : java.util.Optional.of(json.readValue(record, Volume.class));
        } catch (SQLException | IOException e) {
            throw new EngineException.Internal("get " + name + ": " + e.getMessage(), e);
        }
    }

    public Volume inspect(String name) {
        return find(name).orElseThrow(() -> new EngineException.NotFound("get " + name + ": no such volume"));
    }

    public List<Volume> list() {
        try {
            List<Volume> out = new ArrayList<>();
            for (String record : db.volumes().values()) {
                out.add(json.readValue(record, Volume.class));
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new EngineException.Internal("list volumes: " + e.getMessage(), e);
        }
    }

    /** The IDs of the containers using a volume. */
    public List<String> users(String name) {
        return users.apply(name);
    }

    /** Removes a volume no container uses; {@code force} only makes a missing volume no error, as in Docker. */
    public synchronized void remove(String name, boolean force) {
        java.util.Optional<Volume> v = find(name);
        if (v.isEmpty()) {
            if (force) {
                return;
            }
            throw new EngineException.NotFound("get " + name + ": no such volume");
        }
        List<String> using = users(name);
        if (!using.isEmpty()) {
            throw new EngineException.Conflict("remove " + name + ": volume is in use - [" + String.join(", ", using)
                    + "]");
        }
        try {
            db.deleteVolume(name);
            unmountQuietly(mountpoint(name));
            FileTrees.delete(directory(name));
        } catch (SQLException | IOException e) {
            throw new EngineException.Internal("remove " + name + ": " + e.getMessage(), e);
        }
        events.emit("volume", "destroy", name, Map.of("driver", "local"));
    }

    /** What prune removed and the bytes it gave back. */
    public record PruneReport(List<String> deleted, long spaceReclaimed) {}

    /** Removes unused volumes: anonymous ones only unless {@code all}, and only those {@code filter} accepts. */
    public PruneReport prune(boolean all, java.util.function.Predicate<Volume> filter) {
        List<String> deleted = new ArrayList<>();
        long space = 0;
        for (Volume v : list()) {
            if (!all && !v.anonymous() || !filter.test(v) || !users(v.name()).isEmpty()) {
                continue;
            }
            long size = size(v.name());
            try {
                remove(v.name(), false);
            } catch (EngineException.Conflict e) {
                continue; // taken meanwhile
            }
            deleted.add(v.name());
            space += size;
        }
        return new PruneReport(deleted, space);
    }

    /** The bytes of the files in a volume. */
    public long size(String name) {
        long[] total = {0};
        try (var files = Files.walk(mountpoint(name))) {
            files.forEach(p -> {
                try {
                    var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) {
                        total[0] += a.size();
                    }
                } catch (IOException e) {
                    // removed while measured
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return total[0];
        }
        return total[0];
    }

    /** Writes the content of a volume as a tar stream. */
    public void export(String name, OutputStream out) throws IOException {
        inspect(name);
        TreeTar.write(mountpoint(name), out);
    }

    /** Unpacks a tar into a volume, created when missing; entries may not escape it. */
    public Volume importTar(String name, InputStream tar) throws IOException {
        Volume v = create(name, "local", Map.of(), Map.of());
        try {
            TreeUntar.unpack(tar, mountpoint(v.name()), null);
        } catch (IOException e) {
            throw new EngineException.InvalidArgument("import " + name + ": " + e.getMessage(), e);
        }
        return v;
    }

    /** Creates {@code target} with a copy of the content of {@code source} (owners, modes and xattrs kept). */
    public Volume cloneVolume(String source, String target) throws IOException {
        Volume from = inspect(source);
        if (find(target).isPresent()) {
            throw new EngineException.Conflict("clone " + source + ": volume " + target + " already exists");
        }
        Volume v = create(target, "local", Map.of(), from.labels());
        TreeUntar.copy(mountpoint(source), mountpoint(target));
        return v;
    }

    /**
     * Fills an empty volume with {@code content} (the image's directory at the mount destination), as Docker does on
     * the first mount. A marker makes it crash-safe: a copy that did not finish is cleared and done again.
     */
    public static void copyUp(Path volumeData, Path content) throws IOException {
        Path marker = volumeData.resolveSibling(COPY_MARKER);
        if (Files.exists(marker)) {
            try (var entries = Files.list(volumeData)) {
                for (Path p : entries.toList()) {
                    FileTrees.delete(p);
                }
            }
        } else {
            try (var entries = Files.list(volumeData)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
            }
        }
        if (!Files.isDirectory(content, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(marker);
            return;
        }
        try (var entries = Files.list(content)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        }
        Files.writeString(marker, "");
        TreeUntar.copy(content, volumeData);
        // the volume's root takes the owner and mode of the directory it covers, as Docker's copy-up does
        Files.setAttribute(volumeData, "unix:uid", Files.getAttribute(content, "unix:uid"));
        Files.setAttribute(volumeData, "unix:gid", Files.getAttribute(content, "unix:gid"));
        Files.setPosixFilePermissions(volumeData, Files.getPosixFilePermissions(content));
        Files.delete(marker);
    }
}
