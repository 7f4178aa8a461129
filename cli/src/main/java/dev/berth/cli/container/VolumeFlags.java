package dev.berth.cli.container;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.format.Units;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The mount flags of {@code run} and {@code create}, translated as docker/cli does: {@code -v src:dst} goes to
 * HostConfig.Binds and {@code -v /path} to Config.Volumes, {@code --mount} is parsed here into HostConfig.Mounts,
 * {@code --tmpfs} to HostConfig.Tmpfs.
 */
public final class VolumeFlags {
    @Option(names = {"-v", "--volume"}, paramLabel = "list", description = "Bind mount a volume")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--mount", paramLabel = "mount", description = "Attach a filesystem mount to the container")
    List<String> mounts = new ArrayList<>();

    @Option(names = "--tmpfs", paramLabel = "list", description = "Mount a tmpfs directory")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = "--volumes-from", paramLabel = "list", description = "Mount volumes from the specified container(s)")
    List<String> volumesFrom = new ArrayList<>();

    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
    boolean readOnly;

    @Option(names = "--group-add", paramLabel = "list", description = "Add additional groups to join")
    List<String> groupAdd = new ArrayList<>();

    /** Fills the mount keys of the create body. */
    void apply(ObjectNode config, ObjectNode host) {
        ObjectNode anonymous = null;
        ArrayNode binds = null;
        for (String v : volumes) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("invalid argument \"\" for \"-v, --volume\" flag: bad format for path: ");
            }
            if (v.indexOf(':') < 0) {
                if (anonymous == null) {
                    anonymous = config.putObject("Volumes");
                }
                anonymous.putObject(v);
                continue;
            }
            if (binds == null) {
                binds = host.putArray("Binds");
            }
            binds.add(absoluteSource(v));
        }
        if (!mounts.isEmpty()) {
            ArrayNode list = host.putArray("Mounts");
            for (String m : mounts) {
                mount(list.addObject(), m);
            }
        }
        if (!tmpfs.isEmpty()) {
            ObjectNode t = host.putObject("Tmpfs");
            for (String spec : tmpfs) {
                int colon = spec.indexOf(':');
                t.put(colon < 0 ? spec : spec.substring(0, colon), colon < 0 ? "" : spec.substring(colon + 1));
            }
        }
        if (!volumesFrom.isEmpty()) {
            ArrayNode from = host.putArray("VolumesFrom");
            volumesFrom.forEach(from::add);
        }
        if (readOnly) {
            host.put("ReadonlyRootfs", true);
        }
        if (!groupAdd.isEmpty()) {
            ArrayNode groups = host.putArray("GroupAdd");
            groupAdd.forEach(groups::add);
        }
    }

    /** As docker/cli (23+): a relative bind source ("./data:/x") is made absolute against the working directory. */
    private static String absoluteSource(String v) {
        if (v.startsWith(".")) {
            int colon = v.indexOf(':');
            return Path.of(v.substring(0, colon)).toAbsolutePath().normalize() + v.substring(colon);
        }
        return v;
    }

    /** docker/cli opts/mount.go: comma-separated key=value fields. */
    static ObjectNode mount(ObjectNode m, String spec) {
        String type = "volume";
        String source = null;
        String target = null;
        boolean readOnly = false;
        ObjectNode bind = null;
        ObjectNode volume = null;
        ObjectNode tmpfsOptions = null;
        for (String field : spec.split(",")) {
            field = field.strip();
            if (field.isEmpty()) {
                continue;
            }
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1);
            if (value == null && !List.of("readonly", "ro", "volume-nocopy", "bind-nonrecursive").contains(key)) {
                throw mountError(spec, "invalid field '" + field + "' must be a key=value pair");
            }
            switch (key) {
                case "type" -> type = value;
                case "source", "src" -> source = value;
                case "target", "dst", "destination" -> target = value;
                case "readonly", "ro" -> readOnly = value == null || bool(spec, key, value);
                case "consistency" -> { }
                case "bind-propagation" -> (bind == null ? bind = m.objectNode() : bind).put("Propagation", value);
                case "volume-nocopy" -> (volume == null ? volume = m.objectNode() : volume)
                        .put("NoCopy", value == null || bool(spec, key, value));
                case "volume-label" -> {
                    volume = volume == null ? m.objectNode() : volume;
                    ObjectNode labels = volume.has("Labels") ? (ObjectNode) volume.get("Labels") : volume.putObject("Labels");
                    int e = value.indexOf('=');
                    labels.put(e < 0 ? value : value.substring(0, e), e < 0 ? "" : value.substring(e + 1));
                }
                case "volume-driver" -> (volume == null ? volume = m.objectNode() : volume)
                        .withObject("DriverConfig").put("Name", value);
                case "volume-opt" -> {
                    volume = volume == null ? m.objectNode() : volume;
                    int e = value.indexOf('=');
                    if (e < 0) {
                        throw mountError(spec, "invalid volume-opt: " + value);
                    }
                    volume.withObject("DriverConfig").withObject("Options").put(value.substring(0, e), value.substring(e + 1));
                }
                case "tmpfs-size" -> (tmpfsOptions == null ? tmpfsOptions = m.objectNode() : tmpfsOptions)
                        .put("SizeBytes", Units.ramInBytes(value));
                case "tmpfs-mode" -> {
                    try {
                        (tmpfsOptions == null ? tmpfsOptions = m.objectNode() : tmpfsOptions)
                                .put("Mode", Integer.parseInt(value, 8));
                    } catch (NumberFormatException e) {
                        throw mountError(spec, "invalid value for " + key + ": " + value);
                    }
                }
                default -> throw mountError(spec, "unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (type == null || type.isEmpty()) {
            throw mountError(spec, "type is required");
        }
        if (target == null || target.isEmpty()) {
            throw mountError(spec, "target is required");
        }
        if (bind != null && !type.equals("bind")) {
            throw mountError(spec, "cannot mix 'bind-*' options with mount type '" + type + "'");
        }
        if (volume != null && !type.equals("volume")) {
            throw mountError(spec, "cannot mix 'volume-*' options with mount type '" + type + "'");
        }
        if (tmpfsOptions != null && !type.equals("tmpfs")) {
            throw mountError(spec, "cannot mix 'tmpfs-*' options with mount type '" + type + "'");
        }
        m.put("Type", type);
        if (source != null) {
            m.put("Source", source);
        }
        m.put("Target", target);
        if (readOnly) {
            m.put("ReadOnly", true);
        }
        if (bind != null) {
            m.set("BindOptions", bind);
        }
        if (volume != null) {
            m.set("VolumeOptions", volume);
        }
        if (tmpfsOptions != null) {
            m.set("TmpfsOptions", tmpfsOptions);
        }
        return m;
    }

    private static boolean bool(String spec, String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw mountError(spec, "invalid value for " + key + ": " + value);
        };
    }

    private static IllegalArgumentException mountError(String spec, String cause) {
        return new IllegalArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: " + cause);
    }
}
