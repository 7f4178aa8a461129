package dev.berth.cli.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a build context as a tar stream, file by file (a huge context never sits in memory): paths relative to the
 * context root, sorted, minus what .dockerignore excludes (the Dockerfile and .dockerignore themselves always go, as
 * Docker sends them), symlinks as symlinks (never followed), owners zeroed as the docker CLI does.
 */
public final class ContextTar {
    private final Path root;
    private final DockerIgnore ignore;
    private final List<String> alwaysSend;

    public ContextTar(Path root, DockerIgnore ignore, List<String> alwaysSend) {
        this.root = root;
        this.ignore = ignore;
        this.alwaysSend = alwaysSend;
    }

    /** Writes the context, then {@code extraName} with {@code extra} content when not null (a Dockerfile from elsewhere). */
    public void write(OutputStream out, String extraName, byte[] extra) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        directory(tar, root);
        if (extra != null) {
            TarArchiveEntry e = new TarArchiveEntry(extraName);
            e.setSize(extra.length);
            e.setMode(0100600);
            tar.putArchiveEntry(e);
            tar.write(extra);
            tar.closeArchiveEntry();
        }
        tar.finish();
        out.flush();
    }

    private void directory(TarArchiveOutputStream tar, Path dir) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = root.relativize(child).toString();
            boolean isDir = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
            boolean excluded = ignore.excludes(name) && !alwaysSend.contains(name);
            if (excluded && !(isDir && ignore.hasExceptions())) {
                continue;
            }
            if (!excluded) {
                entry(tar, child, name, isDir);
            }
            if (isDir) {
                directory(tar, child);
            }
        }
    }

    private static void entry(TarArchiveOutputStream tar, Path p, String name, boolean isDir) throws IOException {
        TarArchiveEntry e;
        boolean regular = false;
        if (Files.isSymbolicLink(p)) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (isDir) {
            e = new TarArchiveEntry(name + "/");
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            e = new TarArchiveEntry(name);
            e.setSize(Files.size(p));
            regular = true;
        } else {
            return; // sockets, fifos and devices are not sent, as in Docker
        }
        int mode = (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        e.setMode(mode);
        e.setModTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
        e.setUserId(0);
        e.setGroupId(0);
        tar.putArchiveEntry(e);
        if (regular) {
            try (InputStream in = Files.newInputStream(p)) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
    }
}
