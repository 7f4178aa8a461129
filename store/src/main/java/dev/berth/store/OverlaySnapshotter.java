package dev.berth.store;

import dev.berth.linux.Errno;
import dev.berth.linux.IdMap;
import dev.berth.linux.IdMappedMounts;
import dev.berth.linux.LinuxException;
import dev.berth.linux.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's filesystem: an overlay of image layers (read-only lower dirs) plus a private upper dir, all under the
 * container's own directory {@code <dir>}: {@code upper/} receives the container's changes in overlay format (so
 * {@link LayerTar#writeDiff} turns it into a layer), {@code work/} is overlayfs's scratch space, {@code merged/} the
 * mount point, and {@code empty/} the lower dir of an image without layers.
 *
 * <p>Mount options must fit in one page (the kernel copies no more), so lower dirs are given as the short links
 * {@code <dataRoot>/layers/l/<22 chars>} of {@link LayerStore}: about 80 layers under {@code /var/lib/berth}, where
 * the full diff dir paths would allow 40. Relative paths would be shorter still, but they resolve against the working
 * directory of the whole process, which a multi-threaded daemon cannot change for one call.
 *
 * <p>A container in a user namespace (Docker's {@code userns-remap}) sees the layers through one idmapped mount of the
 * whole {@code layers/} directory per mapping, {@code <dataRoot>/idmapped/<map>}, made at first use: the layers keep
 * the ids they were unpacked with and stay shared with every other container, where Docker unpacks every image again,
 * chowned, for each remapping. Its upper dir holds host ids (its root is, say, uid 100000 on the host), as in Docker.
 *
 * <p>Mount and unmount are serialised, so two requests for the same container cannot stack two overlays.
 */
public final class OverlaySnapshotter {
    /** The smallest page size Linux uses, less the terminating NUL. */
    private static final int MAX_MOUNT_DATA = 4095;
    /**
     * Docker's and containerd's choices, made explicit so kernel defaults do not change them: no inode index (not
     * needed for image layers, and it ties upper dirs to one set of lower dirs), and no redirects or metadata-only
     * copy-ups, which would leave changes in the upper dir that {@link LayerTar#writeDiff} cannot see.
     */
    private static final String OPTIONS = ",index=off,redirect_dir=off,metacopy=off";

    private final LayerStore layers;

    public OverlaySnapshotter(LayerStore layers) {
        this.layers = layers;
    }

    /** Creates {@code <dir>/upper}, {@code work} and {@code merged} if missing; idempotent. */
    public void prepare(Path dir) throws IOException {
        for (String sub : List.of("upper", "work", "merged")) {
            Files.createDirectories(dir.resolve(sub));
        }
    }

    /**
     * Mounts the layers {@code chainIds} (bottom first, as images list them) with {@code <dir>/upper} on top at
     * {@code <dir>/merged}, preparing {@code dir} if needed, and returns the merged dir; if it is mounted already, just
     * returns it.
     */
    public Path mount(List<String> chainIds, Path dir) throws IOException {
        return mount(chainIds, dir, null);
    }

    /** As {@link #mount(List, Path)}, for a container in a user namespace with {@code map} (null: none). */
    public synchronized Path mount(List<String> chainIds, Path dir, IdMap map) throws IOException {
        Path home = dir.toAbsolutePath().normalize();
        Path merged = home.resolve("merged");
        if (isMounted(home)) {
            return merged;
        }
        prepare(home);
        Path view = map == null ? null : idmappedView(map);
        List<String> lower = new ArrayList<>();
        for (String chainId : chainIds.reversed()) { // overlay lists the top layer first
            if (!layers.exists(chainId)) {
                throw new IOException("cannot mount " + merged + ": layer " + chainId + " does not exist");
            }
            Path link = layers.shortLink(chainId);
            lower.add(option(view == null ? link : view.resolve("l").resolve(link.getFileName())));
        }
        if (map != null) { // the container's root owns its root directory and its changes
            map.giveToRoot(home.resolve("upper"));
            map.giveToRoot(home.resolve("work"));
        }
        if (lower.isEmpty()) {
            lower.add(option(Files.createDirectories(home.resolve("empty"))));
        }
        String data = "lowerdir=" + String.join(":", lower) + ",upperdir=" + option(home.resolve("upper"))
                + ",workdir=" + option(home.resolve("work")) + OPTIONS;
        int length = data.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_MOUNT_DATA) {
            throw new IOException("cannot mount " + merged + ": " + chainIds.size() + " layers need " + length
                    + " bytes of overlay options, more than the " + MAX_MOUNT_DATA + " the kernel accepts");
        }
        Mounts.mount("overlay", merged, "overlay", 0, data);
        return merged;
    }

    /** {@code <dataRoot>/idmapped/<map key>}: the layers directory with ids shifted by {@code map}, mounted if needed. */
    private Path idmappedView(IdMap map) throws IOException {
        Path view = layers.directory().resolveSibling("idmapped").resolve(map.key());
        if (!MountInfo.isMountPoint(view)) {
            Files.createDirectories(view);
            IdMappedMounts.bind(layers.directory(), view, map);
        }
        return view;
    }

    /** Unmounts the idmapped views of the layers (a container still using one keeps it until it stops). */
    public synchronized void unmountViews() throws IOException {
        Path views = layers.directory().resolveSibling("idmapped");
        if (!Files.isDirectory(views)) {
            return;
        }
        try (var list = Files.list(views)) {
            for (Path view : list.toList()) {
                while (MountInfo.isMountPoint(view)) {
                    Mounts.umount2(view, Mounts.MNT_DETACH);
                }
                Files.deleteIfExists(view);
            }
        }
    }

    /** Unmounts {@code <dir>/merged} if mounted (lazily: a process still inside keeps it until it leaves). */
    public synchronized void unmount(Path dir) throws IOException {
        Path merged = dir.toAbsolutePath().normalize().resolve("merged");
        while (MountInfo.isMountPoint(merged)) { // one umount per overlay, should it have been mounted twice
            try {
                Mounts.umount2(merged, Mounts.MNT_DETACH);
            } catch (LinuxException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) {
                    throw e;
                }
                return; // unmounted meanwhile
            }
        }
    }

    public boolean isMounted(Path dir) {
        try {
            return MountInfo.isMountPoint(dir.toAbsolutePath().normalize().resolve("merged"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mount table", e);
        }
    }

    /** Unmounts if needed and deletes upper, work, merged (and empty). */
    public void remove(Path dir) throws IOException {
        unmount(dir);
        for (String sub : List.of("upper", "work", "merged", "empty")) {
            FileTrees.delete(dir.resolve(sub));
        }
    }

    /** overlay separates its options with ',' and lower dirs with ':'; Berth's paths never need them escaped. */
    private static String option(Path path) throws IOException {
        String text = path.toString();
        if (text.contains(",") || text.contains(":") || text.contains("\\")) {
            throw new IOException("cannot mount overlay: path " + text + " contains ',', ':' or '\\'");
        }
        return text;
    }
}
