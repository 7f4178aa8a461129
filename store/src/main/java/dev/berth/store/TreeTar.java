package dev.berth.store;

import dev.berth.linux.FileOps;
import dev.berth.linux.IdMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a directory tree as a tar stream: PAX format, numeric uid/gid, modes with setuid/setgid/sticky bits, mtimes,
 * symlinks, devices, fifos and xattrs; a file whose inode was already written becomes a hard link to it. Sockets are
 * left out, since tar cannot hold them. Used by {@code docker export} on a mounted rootfs, and by {@link LayerTar} for
 * diffs.
 */
public final class TreeTar {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    /** The kernel's overflow id: what a user namespace shows for ids it does not map. */
    private static final long NOBODY = 65534;

    private final TarWriter tar;
    private final boolean overlayWhiteouts;
    private final Map<Object, String> writtenInodes = new HashMap<>();
    private final IdMap userns;

    private TreeTar(OutputStream out, boolean overlayWhiteouts, IdMap userns) {
        this.tar = new TarWriter(out);
        this.overlayWhiteouts = overlayWhiteouts;
        this.userns = userns;
    }

    /** Writes everything under {@code root} (not root itself), sorted by name; {@code out} is flushed, not closed. */
    public static void write(Path root, OutputStream out) throws IOException {
        write(root, out, false, null);
    }

    /**
     * As {@link #write(Path, OutputStream)} for the files of a container in a user namespace: owners are written as the
     * container sees them (host uid 100000 is its root, 0), unmapped ones as nobody, as the kernel shows them to it.
     */
    public static void write(Path root, OutputStream out, IdMap userns) throws IOException {
        write(root, out, false, userns);
    }

    /**
     * Writes {@code path} itself as the entry {@code name} and, when it is a directory, everything under it; a symlink
     * is written as a link, never followed. {@code docker cp} from a container sends this.
     */
    public static void writeEntry(Path path, String name, OutputStream out) throws IOException {
        writeEntry(path, name, out, null);
    }

    /** As {@link #writeEntry(Path, String, OutputStream)}, owners as a container in user namespace {@code userns} sees them. */
    public static void writeEntry(Path path, String name, OutputStream out, IdMap userns) throws IOException {
        TreeTar t = new TreeTar(out, false, userns);
        if (t.entry(path, name)) {
            t.directory(path, name + "/");
        }
        t.tar.finish();
    }

    /** With {@code overlayWhiteouts}, whiteout devices and opaque directories become layer tar whiteouts. */
    static void write(Path root, OutputStream out, boolean overlayWhiteouts, IdMap userns) throws IOException {
        TreeTar t = new TreeTar(out, overlayWhiteouts, userns);
        t.directory(root, "");
        t.tar.finish();
    }

    private static long orNobody(long id) {
        return id < 0 ? NOBODY : id;
    }

    private void directory(Path dir, String prefix) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            try {
                if (entry(child, name)) {
                    directory(child, name + "/");
                }
            } catch (NoSuchFileException e) {
                // deleted while being archived (a running container's rootfs): skipped, as Docker's export does
            }
        }
    }

    /** Writes the entry for {@code path}; true if it is a directory to descend into. */
    private boolean entry(Path path, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:*", NOFOLLOW);
        int mode = (int) a.get("mode");
        long uid = (int) a.get("uid") & 0xffffffffL;
        long gid = (int) a.get("gid") & 0xffffffffL;
        if (userns != null) {
            uid = orNobody(userns.containerUid(uid));
            gid = orNobody(userns.containerGid(gid));
        }
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        int type = mode & S_IFMT;
        long rdev = (long) a.get("rdev");
        if (type == FileOps.S_IFCHR && rdev == 0 && overlayWhiteouts) {
            tar.write(new TarHeader(whiteoutName(name), TarHeader.Kind.FILE, 0, 0600, uid, gid, mtime, mtime, "", 0, 0,
                    Map.of()), InputStream.nullInputStream());
            return false;
        }
        TarHeader.Kind kind;
        String link = "";
        long size = 0;
        switch (type) {
            case S_IFDIR -> kind = TarHeader.Kind.DIRECTORY;
            case S_IFLNK -> {
                kind = TarHeader.Kind.SYMLINK;
                link = Files.readSymbolicLink(path).toString();
            }
            case S_IFREG -> {
                String first = (int) a.get("nlink") > 1 ? writtenInodes.putIfAbsent(a.get("fileKey"), name) : null;
                kind = first == null ? TarHeader.Kind.FILE : TarHeader.Kind.HARD_LINK;
                link = first == null ? "" : first;
                size = first == null ? (long) a.get("size") : 0;
            }
            case FileOps.S_IFCHR -> kind = TarHeader.Kind.CHAR_DEVICE;
            case FileOps.S_IFBLK -> kind = TarHeader.Kind.BLOCK_DEVICE;
            case FileOps.S_IFIFO -> kind = TarHeader.Kind.FIFO;
            default -> {
                return false; // a socket
            }
        }
        boolean directory = kind == TarHeader.Kind.DIRECTORY;
        TarHeader h = new TarHeader(directory ? name + "/" : name, kind, size, mode & 07777, uid, gid, mtime, mtime, link,
                FileOps.major(rdev), FileOps.minor(rdev), xattrs(path));
        try (InputStream content = kind == TarHeader.Kind.FILE ? Files.newInputStream(path, NOFOLLOW)
                : InputStream.nullInputStream()) {
            tar.write(h, content);
        }
        if (directory && overlayWhiteouts && isOpaque(path)) {
            tar.write(new TarHeader(name + "/" + LayerTar.OPAQUE_MARKER, TarHeader.Kind.FILE, 0, mode & 0777, uid, gid,
                    mtime, mtime, "", 0, 0, Map.of()), InputStream.nullInputStream());
        }
        return directory;
    }

    private static String whiteoutName(String name) {
        int slash = name.lastIndexOf('/');
        return name.substring(0, slash + 1) + LayerTar.WHITEOUT_PREFIX + name.substring(slash + 1);
    }

    private static boolean isOpaque(Path dir) throws IOException {
        Optional<byte[]> value = FileOps.lgetxattr(dir, LayerTar.OPAQUE_XATTR);
        return value.isPresent() && Arrays.equals(value.get(), new byte[] {'y'});
    }

    /** The file's xattrs but overlayfs's own, which describe this overlay and not the file. */
    private static Map<String, byte[]> xattrs(Path path) throws IOException {
        Map<String, byte[]> xattrs = new TreeMap<>();
        for (String name : FileOps.llistxattr(path)) {
            if (!name.startsWith(LayerTar.OVERLAY_XATTR_PREFIX)) {
                FileOps.lgetxattr(path, name).ifPresent(value -> xattrs.put(name, value)); // absent: removed meanwhile
            }
        }
        return xattrs;
    }
}
