package dev.berth.engine.volumes;

import dev.berth.engine.EngineException;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerSettings;
import dev.berth.engine.containers.ContainerVolumes;
import dev.berth.engine.containers.MountSettings;
import dev.berth.engine.containers.MountSettings.Point;
import dev.berth.engine.containers.MountSettings.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a container's mount requests into mount points, with Docker's rules (moby volume/mounts/linux_parser.go and
 * daemon/volumes.go): {@code -v} specs, {@code --mount}, {@code --tmpfs}, {@code --volumes-from}, then an anonymous
 * volume for each image or {@code -v /path} volume whose destination nothing else covers. A later mount at the same
 * destination replaces an earlier one; {@code -v}/{@code --mount} twice at one destination is an error.
 */
public final class MountResolver implements ContainerVolumes {
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
    private static final String DEFAULT_PROPAGATION = "rprivate";

    private final VolumeService volumes;

    public MountResolver(VolumeService volumes) {
        this.volumes = volumes;
    }

    @Override
    public MountSettings resolve(String id, ContainerSettings merged, Function<String, Container> containers) {
        MountSettings requested = merged.storage();
        if (requested == null) {
            return MountSettings.NONE.withPoints(List.of());
        }
        Map<String, Point> points = new LinkedHashMap<>();
        List<String> created = new ArrayList<>();
        try {
            for (String from : requested.volumesFrom()) {
                volumesFrom(from, containers, points);
            }
            Map<String, Point> explicit = new LinkedHashMap<>();
            for (String bind : requested.binds()) {
                add(explicit, bind(bind, created));
            }
            for (Request r : requested.mounts()) {
                add(explicit, mount(r, created));
            }
            points.putAll(explicit);
            requested.tmpfs().forEach((dst, opts) -> {
                checkDestination(dst, "tmpfs");
                points.put(clean(dst), new Point("tmpfs", "", "", clean(dst), "", "", true, "", false,
                        tmpfsData(opts), false));
            });
            for (String path : merged.volumes() == null ? List.<String>of() : merged.volumes()) {
                String dst = clean(path);
                if (!points.containsKey(dst)) {
                    Volume v = volumes.create("", "local", Map.of(), Map.of());
                    created.add(v.name());
                    points.put(dst, volumePoint(v.name(), dst, true, "", true));
                }
            }
        } catch (RuntimeException e) {
            created.forEach(name -> volumes.remove(name, true));
            throw e;
        }
        return requested.withPoints(List.copyOf(points.values()));
    }

    private static void add(Map<String, Point> points, Point p) {
        if (points.put(p.destination(), p) != null) {
            throw new EngineException.InvalidArgument("Duplicate mount point: " + p.destination());
        }
    }

    private void volumesFrom(String spec, Function<String, Container> containers, Map<String, Point> points) {
        String[] parts = spec.split(":");
        String mode = parts.length > 1 ? parts[1] : "";
        if (parts.length > 2 || !mode.isEmpty() && !mode.equals("ro") && !mode.equals("rw")) {
            throw new EngineException.InvalidArgument("invalid mode for volumes-from: " + spec);
        }
        Container source = containers.apply(parts[0]);
        for (Point p : source.settings().mounts().resolved()) {
            if (p.type().equals("tmpfs")) {
                continue;
            }
            boolean rw = mode.isEmpty() ? p.rw() : mode.equals("rw");
            points.put(p.destination(), new Point(p.type(), p.name(), p.source(), p.destination(), p.driver(),
                    mode.isEmpty() ? p.mode() : mode, rw, p.propagation(), false, p.data(), p.shown()));
        }
    }

    /** A {@code -v} spec: {@code src:dst[:mode]}, {@code name:dst[:mode]} or {@code dst}. */
    Point bind(String spec, List<String> created) {
        String[] parts = spec.split(":", -1);
        if (parts.length > 3 || spec.isEmpty() || List.of(parts).contains("")) {
            throw invalidSpec(spec);
        }
        if (parts.length == 1) {
            String dst = checkDestination(parts[0], "volume");
            Volume v = volumes.create("", "local", Map.of(), Map.of());
            created.add(v.name());
            return volumePoint(v.name(), dst, true, "", true);
        }
        if (parts.length == 2 && validMode(parts[1])) {
            throw invalidSpec(spec); // a destination with a mode but no source
        }
        String src = parts[0];
        String mode = parts.length == 3 ? parts[2] : "";
        if (!validMode(mode)) {
            throw new EngineException.InvalidArgument("invalid mode: " + mode);
        }
        Set<String> modes = Set.of(mode.split(","));
        boolean rw = !modes.contains("ro");
        String propagation = modes.stream().filter(PROPAGATIONS::contains).findFirst().orElse(DEFAULT_PROPAGATION);
        if (src.startsWith("/")) {
            String dst = checkDestination(parts[1], "bind");
            Path host = Path.of(clean(src));
            try {
                Files.createDirectories(host); // -v creates a missing host directory, unlike --mount
            } catch (IOException e) {
                throw new EngineException.InvalidArgument("error while creating mount source path '" + host + "': "
                        + e.getMessage());
            }
            return new Point("bind", "", host.toString(), dst, "", mode, rw, propagation, false, "", true);
        }
        String dst = checkDestination(parts[1], "volume");
        boolean existed = volumes.find(src).isPresent();
        Volume v = volumes.create(src, "local", Map.of(), Map.of());
        if (!existed) {
            created.add(v.name());
        }
        return volumePoint(v.name(), dst, rw, mode.isEmpty() ? "z" : mode, !modes.contains("nocopy"));
    }

    /** A {@code --mount} request (HostConfig.Mounts). */
    Point mount(Request r, List<String> created) {
        String type = r.type() == null ? "" : r.type();
        String target = r.target() == null ? "" : r.target();
        String source = r.source() == null ? "" : r.source();
        switch (type) {
            case "bind" -> {
                if (target.isEmpty()) {
                    throw mountError(type, "field Target must not be empty");
                }
                checkDestination(target, type);
                if (source.isEmpty()) {
                    throw mountError(type, "field Source must not be empty");
                }
                if (!source.startsWith("/")) {
                    throw mountError(type, "invalid mount path: '" + source + "' mount path must be absolute");
                }
                if (!Files.exists(Path.of(source))) {
                    throw mountError(type, "bind source path does not exist: " + source);
                }
                String propagation = r.propagation() == null || r.propagation().isEmpty() ? DEFAULT_PROPAGATION
                        : r.propagation();
                if (!PROPAGATIONS.contains(propagation)) {
                    throw mountError(type, "invalid propagation mode: " + propagation);
                }
                return new Point("bind", "", clean(source), clean(target), "", "", !r.readOnly(), propagation, false,
                        "", true);
            }
            case "volume" -> {
                if (target.isEmpty()) {
                    throw mountError(type, "field Target must not be empty");
                }
                checkDestination(target, type);
                boolean existed = !source.isEmpty() && volumes.find(source).isPresent();
                Volume v = volumes.create(source, "local", r.driverOptions(), r.labels());
                if (!existed) {
                    created.add(v.name());
                }
                return volumePoint(v.name(), clean(target), !r.readOnly(), "", !r.noCopy());
            }
            case "tmpfs" -> {
                if (target.isEmpty()) {
                    throw mountError(type, "field Target must not be empty");
                }
                checkDestination(target, type);
                if (!source.isEmpty()) {
                    throw mountError(type, "field Source must not be specified");
                }
                List<String> data = new ArrayList<>();
                if (r.tmpfsSize() > 0) {
                    data.add("size=" + (r.tmpfsSize() % 1024 == 0 ? r.tmpfsSize() / 1024 + "k" : r.tmpfsSize()));
                }
                if (r.tmpfsMode() != 0) {
                    data.add("mode=" + Integer.toOctalString(r.tmpfsMode()));
                }
                if (r.readOnly()) {
                    data.add("ro");
                }
                return new Point("tmpfs", "", "", clean(target), "", "", !r.readOnly(), "", false,
                        String.join(",", data), true);
            }
            default -> throw new EngineException.InvalidArgument("invalid mount config: mount type unknown: \""
                    + type + "\"");
        }
    }

    private Point volumePoint(String name, String dst, boolean rw, String mode, boolean copyUp) {
        return new Point("volume", name, volumes.mountpoint(name).toString(), dst, "local", mode, rw, "", copyUp, "",
                true);
    }

    /** --tmpfs options: Docker's defaults (noexec, nosuid, nodev) are added by the runtime mount; the user's follow. */
    private static String tmpfsData(String opts) {
        return opts == null ? "" : opts;
    }

    private static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return true;
        }
        int rwModes = 0;
        int propagation = 0;
        int copy = 0;
        for (String m : mode.split(",")) {
            switch (m) {
                case "ro", "rw" -> rwModes++;
                case "z", "Z" -> { }
                case "nocopy" -> copy++;
                default -> {
                    if (PROPAGATIONS.contains(m)) {
                        propagation++;
                    } else {
                        return false;
                    }
                }
            }
        }
        return rwModes <= 1 && propagation <= 1 && copy <= 1;
    }

    private static String checkDestination(String dst, String type) {
        if (dst == null || !dst.startsWith("/")) {
            throw mountError(type, "invalid mount path: '" + dst + "' mount path must be absolute");
        }
        if (clean(dst).equals("/")) {
            throw mountError(type, "invalid specification: destination can't be '/'");
        }
        return clean(dst);
    }

    private static EngineException mountError(String type, String cause) {
        return new EngineException.InvalidArgument("invalid mount config for type \"" + type + "\": " + cause);
    }

    private static EngineException invalidSpec(String spec) {
        return new EngineException.InvalidArgument("invalid volume specification: '" + spec + "'");
    }

    /** A path cleaned lexically, as Go's filepath.Clean: "/data/" is "/data". */
    static String clean(String path) {
        String p = Path.of(path).normalize().toString();
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The IDs of the containers among {@code all} that mount the volume {@code name}. */
    public static List<String> users(List<Container> all, String name) {
        return all.stream()
                .filter(c -> c.settings().mounts().resolved().stream()
                        .anyMatch(p -> p.type().equals("volume") && p.name().equals(name)))
                .map(Container::id).toList();
    }

    @Override
    public void release(Container c, boolean removeAnonymous) {
        if (!removeAnonymous) {
            return;
        }
        for (Point p : c.settings().mounts().resolved()) {
            if (p.type().equals("volume")) {
                volumes.find(p.name()).filter(Volume::anonymous).ifPresent(v -> {
                    try {
                        volumes.remove(v.name(), true);
                    } catch (EngineException.Conflict e) {
                        // shared with another container through volumes-from: it stays
                    }
                });
            }
        }
    }
}
