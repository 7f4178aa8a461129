package dev.berth.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A user namespace's uid and gid mappings, as {@code /proc/PID/uid_map} lists them: container id ranges and the host
 * ids they stand for. Docker's {@code userns-remap} maps the container's 0..65535 to a range of {@code /etc/subuid}.
 */
public record IdMap(List<Range> uids, List<Range> gids) {
    /** {@code size} ids from {@code containerId} in the namespace are {@code hostId}... on the host. */
    public record Range(long containerId, long hostId, long size) {
        long toHost(long id) {
            return id - containerId + hostId;
        }

        boolean holdsContainer(long id) {
            return id >= containerId && id - containerId < size;
        }

        boolean holdsHost(long id) {
            return id >= hostId && id - hostId < size;
        }
    }

    public IdMap {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
        if (uids.isEmpty() || gids.isEmpty()) {
            throw new IllegalArgumentException("a user namespace needs at least one uid and one gid range");
        }
    }

    /** The host uid of container uid {@code uid}, or -1 when the namespace does not map it. */
    public long hostUid(long uid) {
        return toHost(uids, uid);
    }

    public long hostGid(long gid) {
        return toHost(gids, gid);
    }

    /** Makes the namespace's root own {@code path} (not following a symbolic link). */
    public void giveToRoot(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", (int) hostUid(0), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", (int) hostGid(0), LinkOption.NOFOLLOW_LINKS);
    }

    /** The container uid of host uid {@code uid}, or -1 (shown as nobody in the container) when it is not mapped. */
    public long containerUid(long uid) {
        return toContainer(uids, uid);
    }

    public long containerGid(long gid) {
        return toContainer(gids, gid);
    }

    /** The text {@code /proc/PID/uid_map} takes: one "container host size" line per range. */
    public static String procFormat(List<Range> ranges) {
        return ranges.stream().map(r -> r.containerId() + " " + r.hostId() + " " + r.size())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** A short name for the mapping, usable in a file name: "100000-65536" for Docker's usual single range. */
    public String key() {
        String u = uids.stream().map(r -> r.containerId() + "-" + r.hostId() + "-" + r.size()).collect(Collectors.joining("_"));
        String g = gids.stream().map(r -> r.containerId() + "-" + r.hostId() + "-" + r.size()).collect(Collectors.joining("_"));
        if (uids.size() == 1 && uids.equals(gids) && uids.getFirst().containerId() == 0) {
            return uids.getFirst().hostId() + "-" + uids.getFirst().size();
        }
        return u + "." + g;
    }

    private static long toHost(List<Range> ranges, long id) {
        for (Range r : ranges) {
            if (r.holdsContainer(id)) {
                return r.toHost(id);
            }
        }
        return -1;
    }

    private static long toContainer(List<Range> ranges, long id) {
        for (Range r : ranges) {
            if (r.holdsHost(id)) {
                return id - r.hostId() + r.containerId();
            }
        }
        return -1;
    }
}
