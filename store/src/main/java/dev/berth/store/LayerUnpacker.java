package dev.berth.store;

import dev.berth.linux.IdMap;
import dev.berth.linux.Errno;
import dev.berth.linux.FileOps;
import dev.berth.linux.LinuxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies the entries of one layer tar to a directory in overlay format (see {@link LayerTar}), as Docker's
 * pkg/archive UnpackLayer does: implied parent directories are created (0755, root-owned), a later entry replaces an
 * earlier one at the same path (two directories merge), directory times are set last because unpacking into a
 * directory changes its mtime.
 *
 * <p>Nothing is ever written outside the root: names are cleaned and checked ({@link EntryPath}), every existing
 * ancestor of an entry must be a real directory, not a symlink, and the entry itself is created afresh (an existing
 * symlink at its path is replaced, never written through). Hard links must name an earlier entry, reached the same way.
 */
final class LayerUnpacker {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final boolean layer;
    private final int[] owner;
    private final IdMap userns;
    private final Map<Path, TarHeader> directoryTimes = new HashMap<>();
    private long size;

    LayerUnpacker(Path root) {
        this(root, true, null);
    }

    /**
     * @param layer whether whiteout names mean deletions (a layer) or are plain files (a directory tree)
     * @param owner uid and gid every entry gets, or null to keep the tar's
     */
    LayerUnpacker(Path root, boolean layer, int[] owner) {
        this(root, layer, owner, null);
    }

    /** @param userns the user namespace whose ids the entries' owners are (null: the host's) */
    LayerUnpacker(Path root, boolean layer, int[] owner, IdMap userns) {
        this.root = root;
        this.layer = layer;
        this.owner = owner;
        this.userns = userns;
    }

    long unpack(TarReader tar) throws IOException {
        for (TarHeader h = tar.next(); h != null; h = tar.next()) {
            entry(h, tar.content());
        }
        for (Map.Entry<Path, TarHeader> d : directoryTimes.entrySet()) {
            if (Files.isDirectory(d.getKey(), NOFOLLOW)) { // a later entry may have replaced it
                setTimes(d.getKey(), d.getValue());
            }
        }
        return size;
    }

    private void entry(TarHeader h, InputStream content) throws IOException {
        String name = EntryPath.clean(h.name());
        if (name.isEmpty()) {
            return; // the layer root: its metadata is the diff dir's business, as Docker also skips it
        }
        int slash = name.lastIndexOf('/');
        String parentName = slash < 0 ? "" : name.substring(0, slash);
        String base = name.substring(slash + 1);
        Path parent = directory(h.name(), parentName);
        if (!layer) {
            Path path = parent.resolve(base);
            BasicFileAttributes existing = attributes(path);
            boolean directory = h.kind() == TarHeader.Kind.DIRECTORY;
            if (existing != null && existing.isDirectory() != directory) {
                // as Docker's noOverwriteDirNonDir: a copy never replaces a directory by a file or the reverse
                throw EntryPath.invalid(h.name(), existing.isDirectory()
                        ? "cannot overwrite directory \"" + name + "\" with non-directory"
                        : "cannot overwrite non-directory \"" + name + "\" with directory");
            }
            replace(path, directory);
            create(h, name, path, content);
        } else if (base.equals(LayerTar.OPAQUE_MARKER)) {
            FileOps.lsetxattr(parent, LayerTar.OPAQUE_XATTR, new byte[] {'y'});
        } else if (base.startsWith(LayerTar.WHITEOUT_META_PREFIX)) {
            return; // other ".wh..wh." names are aufs bookkeeping with no meaning in overlay; Docker skips them too
        } else if (base.startsWith(LayerTar.WHITEOUT_PREFIX)) {
            whiteout(h, parent, base.substring(LayerTar.WHITEOUT_PREFIX.length()));
        } else {
            Path path = parent.resolve(base);
            replace(path, h.kind() == TarHeader.Kind.DIRECTORY);
            create(h, name, path, content);
        }
    }

    private void whiteout(TarHeader h, Path parent, String deleted) throws IOException {
        if (deleted.isEmpty() || deleted.equals(".") || deleted.equals("..")) {
            throw EntryPath.invalid(h.name(), "whiteout of \"" + deleted + "\"");
        }
        Path path = parent.resolve(deleted);
        replace(path, false);
        FileOps.mknod(path, FileOps.S_IFCHR, FileOps.makedev(0, 0));
        chown(path, h);
        setTimes(path, h); // so that writing the layer back gives the same tar
    }

    private void create(TarHeader h, String name, Path path, InputStream content) throws IOException {
        switch (h.kind()) {
            case DIRECTORY -> {
                if (!Files.isDirectory(path, NOFOLLOW)) {
                    Files.createDirectory(path);
                }
                directoryTimes.put(path, h);
            }
            case FILE -> {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        NOFOLLOW)) {
                    content.transferTo(out);
                } catch (IOException e) {
                    throw NoSpaceException.named(e, path);
                }
                size += h.size();
            }
            case SYMLINK -> {
                EntryPath.checkSymlink(h.name(), name, h.linkName());
                Files.createSymbolicLink(path, Path.of(h.linkName()));
            }
            case HARD_LINK -> {
                // link(2) does not follow a symlink target, and the target's ancestors are checked like an entry's
                Files.createLink(path, existing(h, EntryPath.hardLinkTarget(h.name(), h.linkName())));
                return; // the inode already has the metadata of the entry it came from
            }
            case CHAR_DEVICE -> FileOps.mknod(path, FileOps.S_IFCHR | 0600, FileOps.makedev(h.devMajor(), h.devMinor()));
            case BLOCK_DEVICE -> FileOps.mknod(path, FileOps.S_IFBLK | 0600, FileOps.makedev(h.devMajor(), h.devMinor()));
            case FIFO -> FileOps.mknod(path, FileOps.S_IFIFO | 0600, 0);
        }
        chown(path, h);
        if (h.kind() != TarHeader.Kind.SYMLINK) {
            FileOps.lchmod(path, h.mode()); // after chown, which clears setuid and setgid
        }
        setXattrs(path, h);
        if (h.kind() != TarHeader.Kind.DIRECTORY) {
            setTimes(path, h);
        }
    }

    /** The directory {@code name} under the root, creating missing ones; refuses to go through symlinks or files. */
    private Path directory(String entry, String name) throws IOException {
        Path dir = root;
        if (name.isEmpty()) {
            return dir;
        }
        for (String part : name.split("/")) {
            dir = dir.resolve(part);
            BasicFileAttributes a = attributes(dir);
            if (a == null) {
                Files.createDirectory(dir);
                FileOps.lchmod(dir, 0755);
            } else if (a.isSymbolicLink()) {
                throw EntryPath.invalid(entry, "parent \"" + root.relativize(dir) + "\" is a symlink");
            } else if (!a.isDirectory()) {
                throw EntryPath.invalid(entry, "parent \"" + root.relativize(dir) + "\" is not a directory");
            }
        }
        return dir;
    }

    /** An earlier entry named by a hard link, found without following symlinks on the way. */
    private Path existing(TarHeader h, String target) throws IOException {
        Path path = root;
        String[] parts = target.split("/");
        for (int i = 0; i < parts.length; i++) {
            path = path.resolve(parts[i]);
            BasicFileAttributes a = attributes(path);
            if (a == null) {
                throw EntryPath.invalid(h.name(), "hard link target \"" + h.linkName() + "\" not found");
            }
            boolean last = i == parts.length - 1;
            if (!last && !a.isDirectory() || last && a.isDirectory()) {
                throw EntryPath.invalid(h.name(), "hard link target \"" + h.linkName() + "\" is not a file in the layer");
            }
        }
        return path;
    }

    /** Clears the way for a new entry at {@code path}: a later entry wins, except that directories merge. */
    private static void replace(Path path, boolean directory) throws IOException {
        BasicFileAttributes a = attributes(path);
        if (a == null || directory && a.isDirectory()) {
            return;
        }
        FileTrees.delete(path);
    }

    private void chown(Path path, TarHeader h) throws IOException {
        long uid = owner == null ? h.uid() : owner[0];
        long gid = owner == null ? h.gid() : owner[1];
        if (userns != null) {
            long hostUid = userns.hostUid(uid);
            long hostGid = userns.hostGid(gid);
            if (hostUid < 0 || hostGid < 0) {
                throw new IOException("Container ID " + (hostUid < 0 ? uid : gid) + " cannot be mapped to a host ID");
            }
            uid = hostUid;
            gid = hostGid;
        }
        Files.setAttribute(path, "unix:uid", (int) uid, NOFOLLOW);
        Files.setAttribute(path, "unix:gid", (int) gid, NOFOLLOW);
    }

    private static void setXattrs(Path path, TarHeader h) throws IOException {
        for (Map.Entry<String, byte[]> x : h.xattrs().entrySet()) {
            if (x.getKey().startsWith(LayerTar.OVERLAY_XATTR_PREFIX)) {
                continue;
            }
            try {
                FileOps.lsetxattr(path, x.getKey(), x.getValue());
            } catch (LinuxException e) {
                // As Docker: a file system without that namespace, or one the kernel will not set on this file type
                // (user.* on a symlink), loses the attribute rather than the whole layer.
                if (e.errno() != Errno.ENOTSUP && e.errno() != Errno.EPERM) {
                    throw new IOException("invalid tar entry \"" + h.name() + "\": " + e.getMessage(), e);
                }
            }
        }
    }

    private static void setTimes(Path path, TarHeader h) throws IOException {
        FileOps.lutimes(path, h.atime(), h.mtime());
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
