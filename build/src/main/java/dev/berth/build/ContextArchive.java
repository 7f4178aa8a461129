package dev.berth.build;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Unpacks a build context tar (plain, gzip or bzip2, told apart by magic bytes as Docker does) into a directory,
 * streaming: a context of any size passes through a fixed buffer. Entries that would land outside the directory
 * ("../x", absolute names, hard links to outside) are refused; symlinks are kept as they are, and every later lookup
 * resolves them inside the context ({@link RootPath}).
 */
final class ContextArchive {
    private ContextArchive() {}

    static void unpack(InputStream body, Path dir) throws BuildException {
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(decompress(body));
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                if (name.startsWith("/") || RootPath.escapes(name)) {
                    throw new BuildException("invalid build context: entry " + name + " is outside the context");
                }
                Path target = dir.resolve(name).normalize();
                if (!target.startsWith(dir)) {
                    throw new BuildException("invalid build context: entry " + name + " is outside the context");
                }
                Path parent = target.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    if (RootPath.escapes(e.getLinkName()) || e.getLinkName().startsWith("/")) {
                        throw new BuildException("invalid build context: hard link " + name + " points outside");
                    }
                    Files.deleteIfExists(target);
                    Files.createLink(target, dir.resolve(e.getLinkName()));
                    continue;
                } else if (e.isFile()) {
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    continue; // devices and fifos have no place in a build context
                }
                if (!e.isSymbolicLink()) {
                    Files.setAttribute(target, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
                    Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
                }
            }
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new BuildException("failed to read the build context: " + e.getMessage(), 1, true, e);
        }
    }

    private static InputStream decompress(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 64 * 1024);
        b.mark(6);
        byte[] m = b.readNBytes(6);
        b.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(b, 64 * 1024);
        }
        if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
            return new BZip2CompressorInputStream(b, true);
        }
        return b;
    }
}
