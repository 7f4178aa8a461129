package dev.berth.cli.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** The host side of {@code cp}: a local path as a tar, and a tar from a container extracted under a directory. */
final class CpTar {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private CpTar() {}

    /** Writes {@code path} as the entry {@code name} (and, for a directory, its tree); "." writes only the content. */
    static void write(Path path, String name, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            entry(tar, path, name);
            tar.finish();
        }
    }

    private static void entry(TarArchiveOutputStream tar, Path path, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:*", NOFOLLOW);
        boolean dir = Files.isDirectory(path, NOFOLLOW);
        boolean link = Files.isSymbolicLink(path);
        TarArchiveEntry e;
        if (link) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(path).toString());
        } else {
            e = new TarArchiveEntry(dir ? name + "/" : name);
            if (!dir) {
                e.setSize(Files.size(path));
            }
        }
        e.setMode(((int) a.get("mode") & 07777) | (dir ? 0040000 : link ? 0120000 : 0100000));
        e.setUserId((int) a.get("uid"));
        e.setGroupId((int) a.get("gid"));
        e.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis());
        tar.putArchiveEntry(e);
        if (!dir && !link) {
            Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
        if (dir) {
            List<Path> children;
            try (Stream<Path> list = Files.list(path)) {
                children = list.sorted().toList();
            }
            for (Path child : children) {
                entry(tar, child, name + "/" + child.getFileName());
            }
        }
    }

    /**
     * Extracts a tar under {@code root}; the top entry {@code from} is renamed {@code to} when both are given. Entries
     * that climb out of the root, or pass through a symlink, are refused; {@code keepOwners} applies the tar's uid/gid.
     */
    static void extract(InputStream in, Path root, String from, String to, boolean keepOwners) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            String name = rename(e.getName(), from, to);
            Path path = root.resolve(name).normalize();
            if (name.startsWith("/") || !path.startsWith(root)) {
                throw new IOException("invalid tar entry \"" + e.getName() + "\": outside of " + root);
            }
            if (path.equals(root)) {
                continue;
            }
            checkParents(root, path.getParent(), e.getName());
            if (e.isDirectory()) {
                if (!Files.isDirectory(path, NOFOLLOW)) {
                    Files.deleteIfExists(path);
                    Files.createDirectory(path);
                }
            } else {
                if (Files.isDirectory(path, NOFOLLOW)) {
                    throw new IOException("cannot overwrite directory \"" + path + "\" with non-directory");
                }
                Files.deleteIfExists(path);
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Path target = root.resolve(rename(e.getLinkName(), from, to)).normalize();
                    if (!target.startsWith(root)) {
                        throw new IOException("invalid tar entry \"" + e.getName() + "\": hard link outside of " + root);
                    }
                    Files.createLink(path, target);
                    continue;
                } else if (e.isFile()) {
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    continue; // devices and fifos need privileges a copy does not assume
                }
            }
            if (keepOwners) {
                Files.setAttribute(path, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
                Files.setAttribute(path, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
            }
            if (!e.isSymbolicLink()) {
                Files.setPosixFilePermissions(path, permissions(e.getMode()));
                Files.setLastModifiedTime(path, FileTime.fromMillis(e.getModTime().getTime()));
            }
        }
    }

    private static String rename(String name, String from, String to) {
        String n = name;
        while (n.startsWith("./") && !n.equals("./")) {
            n = n.substring(2);
        }
        if (from == null) {
            return n.equals("./") ? "." : n;
        }
        String f = from.equals(".") ? "" : from;
        if (f.isEmpty()) {
            return n.equals(".") || n.equals("./") ? to : to + "/" + n;
        }
        if (n.equals(f) || n.equals(f + "/")) {
            return to;
        }
        if (n.startsWith(f + "/")) {
            return to + n.substring(f.length());
        }
        return n;
    }

    /** Every existing directory between {@code root} and {@code dir} must be a real directory, not a symlink. */
    private static void checkParents(Path root, Path dir, String entry) throws IOException {
        Path p = root;
        for (Path part : root.relativize(dir)) {
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw new IOException("invalid tar entry \"" + entry + "\": parent " + p + " is a symlink");
            }
            if (!Files.exists(p, NOFOLLOW)) {
                Files.createDirectory(p);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(all[i]);
            }
        }
        return s;
    }
}
