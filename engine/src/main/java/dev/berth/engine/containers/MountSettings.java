package dev.berth.engine.containers;

import java.util.List;
import java.util.Map;

/**
 * What a container mounts: the requests as the client gave them (kept for inspect's HostConfig) and the mount points
 * they resolved to at create, which every start uses.
 *
 * @param binds {@code -v} specs, Docker's {@code HostConfig.Binds}: {@code src:dst[:mode]}
 * @param mounts {@code --mount} requests, Docker's {@code HostConfig.Mounts}
 * @param tmpfs {@code --tmpfs} mounts: destination to mount options
 * @param volumesFrom containers whose mounts this one shares, {@code name[:ro|:rw]}
 * @param points the resolved mount points, in mount order; null until create resolved them
 */
public record MountSettings(List<String> binds, List<Request> mounts, Map<String, String> tmpfs,
        List<String> volumesFrom, List<Point> points) {

    public static final MountSettings NONE = new MountSettings(List.of(), List.of(), Map.of(), List.of(), null);

    public MountSettings {
        binds = binds == null ? List.of() : List.copyOf(binds);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
        volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
        points = points == null ? null : List.copyOf(points);
    }

    public MountSettings withPoints(List<Point> resolved) {
        return new MountSettings(binds, mounts, tmpfs, volumesFrom, resolved);
    }

    /** The mount points, none when not resolved. */
    public List<Point> resolved() {
        return points == null ? List.of() : points;
    }

    /**
     * One {@code --mount} request (Docker's {@code mount.Mount}).
     *
     * @param type "bind", "volume" or "tmpfs"
     * @param source host path (bind) or volume name (volume; empty for an anonymous one)
     * @param propagation bind propagation, empty for the default
     * @param noCopy volume-nocopy: do not fill a new volume with the image's content
     * @param driverOptions volume-opt entries, for a volume created by this mount
     * @param labels volume-label entries
     * @param tmpfsSize bytes, 0 for no limit
     * @param tmpfsMode permission bits, 0 for the default (1777)
     */
    public record Request(String type, String source, String target, boolean readOnly, String propagation,
            boolean noCopy, Map<String, String> driverOptions, Map<String, String> labels, long tmpfsSize,
            int tmpfsMode) {}

    /**
     * A resolved mount point, what inspect shows in {@code Mounts} plus what the runtime needs.
     *
     * @param type "bind", "volume" or "tmpfs"
     * @param name the volume's name, empty for binds and tmpfs
     * @param source host path: the bind source or the volume's data directory; empty for tmpfs
     * @param mode the mode as given ("ro", "z"...), as Docker shows it
     * @param propagation "rprivate" for binds, empty otherwise
     * @param copyUp fill an empty volume with the image's content at this destination before mounting
     * @param data tmpfs mount options, e.g. "size=65536k,mode=1777"
     * @param shown whether inspect lists it (Docker does not list {@code --tmpfs} mounts)
     */
    public record Point(String type, String name, String source, String destination, String driver, String mode,
            boolean rw, String propagation, boolean copyUp, String data, boolean shown) {}
}
