package dev.berth.store;

import dev.berth.linux.Errno;
import dev.berth.linux.LinuxException;
import dev.berth.linux.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    public synchronized Path mount(List<String> chainIds, Path dir) throws IOException {
        Path home = dir.toAbsolutePath().normalize();
        Path merged = home.resolve("merged");
        if (isMounted(home)) {
            return merged;
        }
        prepare(home);
        List<String> lower = new ArrayList<>();
        for (String chainId : chainIds.reversed()) { // overlay lists the top layer first
            if (!layers.exists(chainId)) {
                throw new IOException("cannot mount " + merged + ": layer " + chainId + " does not exist");
            }
            lower.add(option(layers.shortLink(chainId)));
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
