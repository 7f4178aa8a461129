package dev.berth.engine.containers;

import dev.berth.engine.EngineException;
import dev.berth.runtime.ScopedPath;
import dev.berth.store.TreeTar;
import dev.berth.store.TreeUntar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code docker cp}: stat, read and write paths of a container, running or not, including its volumes and bind
 * mounts (Docker's {@code daemon/archive.go}).
 *
 * <p>A container path is cleaned lexically, then resolved inside the mount that holds it (the root filesystem, a
 * volume or a bind source) with symlinks followed in scope ({@link ScopedPath}): a link to "/" or "../.." in the image
 * stays inside that root, so nothing outside it is ever read or written. The last component is not followed, as in
 * Docker, so a symlink is archived as a link. Uploads go through {@link TreeUntar}, which refuses entries that are
 * absolute, climb out with "..", or pass through a symlink.
 */
public final class ContainerArchive {
    private final ContainerService containers;

    public ContainerArchive(ContainerService containers) {
        this.containers = containers;
    }

    /**
     * Docker's {@code container.PathStat}.
     *
     * @param mode Go's {@code os.FileMode}: permission bits plus its type bits (1<<31 directory, 1<<27 symlink...)
     */
    public record PathStat(String name, long size, long mode, Instant mtime, String linkTarget) {}

    /** The stat of a path in the container, as the {@code X-Docker-Container-Path-Stat} header carries it. */
    public PathStat stat(String ref, String path) throws IOException {
        return containers.withRootfs(ref, "archive-path", rootfs -> {
            Container c = containers.inspect(ref);
            return stat(path, host(rootfs, c, path, ref));
        });
    }

    /** Writes the path as a tar (the entry named by its base name) and returns its stat. */
    public PathStat get(String ref, String path, java.util.function.Function<PathStat, OutputStream> out)
            throws IOException {
        return containers.withRootfs(ref, "archive-path", rootfs -> {
            Container c = containers.inspect(ref);
            Path host = host(rootfs, c, path, ref);
            PathStat stat = stat(path, host);
            TreeTar.writeEntry(host, stat.name().equals("/") ? "." : stat.name(), out.apply(stat),
                    containers.userNamespace(c));
            return stat;
        });
    }

    /**
     * Unpacks {@code tar} into the directory {@code path} of the container. {@code copyUidGid} keeps the owners the
     * tar gives; otherwise every file belongs to the container's root, as in Docker.
     */
    public void put(String ref, String path, InputStream tar, boolean copyUidGid) throws IOException {
        containers.withRootfs(ref, "extract-to-dir", rootfs -> {
            Container c = containers.inspect(ref);
            Path dir = host(rootfs, c, path, ref);
            if (Files.isSymbolicLink(dir)) {
                dir = ScopedPath.resolve(rootfs, clean(path)); // the destination directory may be reached by a link
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new EngineException.InvalidArgument("extraction point is not a directory");
            }
            if (c.settings().readonlyRootfs() && dir.startsWith(rootfs)) {
                throw new EngineException.Forbidden("container rootfs is marked read-only");
            }
            try {
                TreeUntar.unpack(tar, dir, copyUidGid ? null : new int[] {0, 0}, containers.userNamespace(c));
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("invalid tar entry")) {
                    throw new EngineException.InvalidArgument(e.getMessage(), e);
                }
                throw e;
            }
            return null;
        });
    }

    /** The host path of a container path: in the mount holding it, parents resolved in scope, the last not followed. */
    static Path host(Path rootfs, Container c, String path, String ref) throws IOException {
        if (path == null || path.isEmpty()) {
            throw new EngineException.InvalidArgument("Could not find the file  in container " + ref);
        }
        String clean = clean(path);
        Path root = rootfs;
        String rest = clean;
        int longest = -1;
        for (MountSettings.Point p : c.settings().mounts().resolved()) {
            String d = p.destination();
            if (p.source().isEmpty() || d.length() <= longest) {
                continue;
            }
            if (clean.equals(d) || clean.startsWith(d + "/")) {
                longest = d.length();
                root = Path.of(p.source());
                rest = clean.substring(d.length());
            }
        }
        Path host;
        if (rest.isEmpty() || rest.equals("/")) {
            host = root;
        } else {
            int slash = rest.lastIndexOf('/');
            Path parent = ScopedPath.resolve(root, rest.substring(0, Math.max(slash, 0)));
            host = parent.resolve(rest.substring(slash + 1));
        }
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new EngineException.NotFound("Could not find the file " + path + " in container " + ref);
        }
        return host;
    }

    /** Go's filepath.Clean of an absolute path: "." and ".." resolved lexically, never above "/". */
    static String clean(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(s);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static PathStat stat(String path, Path host) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(host, "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new EngineException.NotFound("Could not find the file " + path);
        }
        int mode = (int) a.get("mode");
        long goMode = mode & 0777;
        if ((mode & 04000) != 0) {
            goMode |= 1L << 23;
        }
        if ((mode & 02000) != 0) {
            goMode |= 1L << 22;
        }
        if ((mode & 01000) != 0) {
            goMode |= 1L << 20;
        }
        String link = "";
        switch (mode & 0170000) {
            case 0040000 -> goMode |= 1L << 31;
            case 0120000 -> {
                goMode |= 1L << 27;
                link = Files.readSymbolicLink(host).toString();
            }
            case 0010000 -> goMode |= 1L << 25;
            case 0140000 -> goMode |= 1L << 24;
            case 0020000 -> goMode |= (1L << 26) | (1L << 21);
            case 0060000 -> goMode |= 1L << 26;
            default -> { }
        }
        String name = baseName(path);
        return new PathStat(name, (long) a.get("size"), goMode, ((FileTime) a.get("lastModifiedTime")).toInstant(),
                link);
    }

    /** Go's filepath.Base: trailing slashes dropped, "/" for the root; "dir/." keeps "." (copy the content). */
    static String baseName(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/")) {
            return "/";
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
