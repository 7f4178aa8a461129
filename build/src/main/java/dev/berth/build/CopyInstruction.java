package dev.berth.build;

import dev.berth.oci.Digest;
import dev.berth.store.LayerStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * {@code COPY} and {@code ADD} [--from=stage|index|image] [--chown=user:group] [--chmod=mode] src... dest, with Docker's
 * rules: sources are relative to the context (or the --from root) and may not leave it; wildcards match paths; a
 * directory source copies its contents; a destination ending in '/' (or an existing directory) receives sources under
 * their own names; several sources need such a destination. ADD also unpacks local tar archives into the destination.
 *
 * <p>The cache key is a checksum of every source's names, modes, link targets and content (not times), so an edit that
 * keeps a file's size still misses and an untouched tree still hits. The files are written through an overlay of the
 * stage's layers, so parent directories, existing directories and symlinks in the destination path behave as they do
 * in the image; the overlay's upper dir becomes the layer.
 */
final class CopyInstruction implements InstructionExecutor {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final boolean add;

    CopyInstruction(boolean add) {
        this.add = add;
    }

    /** One resolved source: where it is on the host and the name it is copied under. */
    record Source(Path path, String name, boolean remote) {
        Source(Path path, String name) {
            this(path, name, false);
        }
    }

    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        String verb = in.keyword();
        List<String> words = new ArrayList<>();
        if (in.isJson()) {
            for (String w : in.json()) {
                words.add(ctx.expand(w));
            }
        } else {
            for (String w : ShellLex.rawWords(in.args(), ctx.build.escape())) {
                words.add(w.startsWith("<<") ? w : ctx.expand(w));
            }
        }
        String dest = words.getLast();
        List<String> sources = words.subList(0, words.size() - 1);
        String from = in.flag("from").map(f -> f).orElse(null);
        if (from != null) {
            from = ctx.expand(from);
        }
        if (add && from != null) {
            throw BuildException.parse(in.line(), "unknown flag: from");
        }
        String chown = in.flag("chown").orElse(null);
        Integer chmod = null;
        if (in.flag("chmod").isPresent()) {
            String mode = in.flag("chmod").get();
            if (!mode.matches("[0-7]{1,4}")) {
                throw new BuildException("invalid chmod parameter: " + mode);
            }
            chmod = Integer.parseInt(mode, 8);
        }
        String workdir = ctx.state.workingDir().isEmpty() ? "/" : ctx.state.workingDir();
        boolean destIsDirSyntax = dest.endsWith("/") || dest.equals(".") || dest.endsWith("/.");
        String destAbs = dest.startsWith("/") ? dest : workdir + (workdir.endsWith("/") ? "" : "/") + dest;
        String fromRef = from;
        List<String> fromLayers = from == null ? null : ctx.build.sources().layers(from, ctx.state.index);
        Integer mode = chmod;
        return new CopyStep(verb, in, sources, dest, destAbs, destIsDirSyntax, fromRef, fromLayers, chown, mode,
                ctx);
    }

    /** The copy, once its sources are known: computing the checksum needs the --from root mounted. */
    private final class CopyStep implements Step {
        private final String verb;
        private final Instruction in;
        private final List<String> sources;
        private final String destAbs;
        private final boolean destIsDirSyntax;
        private final List<String> fromLayers;
        private final String chown;
        private final Integer chmod;
        private final String createdBy;
        private final String cacheText;

        CopyStep(String verb, Instruction in, List<String> sources, String dest, String destAbs, boolean destIsDirSyntax,
                String from, List<String> fromLayers, String chown, Integer chmod, StepContext ctx)
                throws BuildException {
            this.verb = verb;
            this.in = in;
            this.sources = sources;
            this.destAbs = destAbs;
            this.destIsDirSyntax = destIsDirSyntax;
            this.fromLayers = fromLayers;
            this.chown = chown;
            this.chmod = chmod;
            String sum;
            try {
                sum = withSourceRoot(ctx, root -> checksum(ctx, root));
            } catch (IOException e) {
                throw new BuildException(verb + " failed: " + e.getMessage(), 1, true, e);
            }
            this.createdBy = "/bin/sh -c #(nop) " + verb + " " + sum + " in " + dest + " ";
            this.cacheText = createdBy + "\n" + String.join(" ", in.flags()) + "\n" + (from == null ? "" : from);
        }

        @Override
        public String cacheText() {
            return cacheText;
        }

        @Override
        public void apply(StepContext ctx) throws BuildException, IOException {
            StageState s = ctx.state;
            Path work = Files.createTempDirectory(ctx.build.tmp(), "copy-");
            LayerStore.Layer layer;
            try {
                Path merged = ctx.build.snapshots().mount(s.chainIds, work);
                try {
                    withSourceRoot(ctx, root -> {
                        copyAll(ctx, root, merged);
                        return null;
                    });
                } finally {
                    ctx.build.snapshots().unmount(work);
                }
                layer = DiffLayer.store(ctx.build.layers(), work.resolve("upper"),
                        s.chainIds.isEmpty() ? null : s.chainIds.getLast());
            } finally {
                ctx.build.snapshots().remove(work);
                deleteTree(work);
            }
            s.addLayer(layer.diffId(), layer.chainId());
            s.addHistory(createdBy, false, ctx.now());
        }

        private interface RootWork<T> {
            T run(Path root) throws BuildException, IOException;
        }

        /** Runs {@code work} with the root the sources are read from: the context, or the --from stage mounted. */
        private <T> T withSourceRoot(StepContext ctx, RootWork<T> work) throws BuildException, IOException {
            if (fromLayers == null) {
                return work.run(ctx.build.contextDir());
            }
            Path dir = Files.createTempDirectory(ctx.build.tmp(), "from-");
            try {
                return work.run(ctx.build.snapshots().mount(fromLayers, dir));
            } finally {
                ctx.build.snapshots().remove(dir);
                deleteTree(dir);
            }
        }

        private List<Source> resolve(StepContext ctx, Path root) throws BuildException, IOException {
            List<Source> out = new ArrayList<>();
            for (String src : sources) {
                if (src.startsWith("<<")) {
                    String name = src.replaceFirst("^<<-?[\"']?", "").replaceFirst("[\"']$", "");
                    Instruction.Heredoc doc = in.heredocs().stream().filter(h -> h.name().equals(name)).findFirst()
                            .orElseThrow(() -> new BuildException("unknown heredoc " + name));
                    Path file = Files.createTempFile(ctx.build.tmp(), "heredoc-", "");
                    String content = doc.expand() ? ctx.expand("\"" + doc.content().replace("\"", "\\\"") + "\"")
                            : doc.content();
                    Files.writeString(file, content);
                    Files.setAttribute(file, "unix:mode", 0644);
                    out.add(new Source(file, name));
                    continue;
                }
                if (add && (src.startsWith("http://") || src.startsWith("https://"))) {
                    out.add(RemoteFile.download(src, ctx.build.tmp()));
                    continue;
                }
                String rel = src.startsWith("/") && fromLayers == null ? src.substring(1) : src;
                if (fromLayers == null && RootPath.escapes(rel)) {
                    throw new BuildException(verb + " failed: forbidden path outside the build context: " + src + " ()");
                }
                if (rel.matches(".*[*?\\[].*")) {
                    List<Source> matched = glob(root, rel);
                    out.addAll(matched);
                    continue;
                }
                Path p = RootPath.resolve(root, rel);
                if (!Files.exists(p, NOFOLLOW)) {
                    throw new BuildException(verb + " failed: file not found in build context or excluded by"
                            + " .dockerignore: stat " + src + ": file does not exist");
                }
                String name = Path.of(rel).normalize().getFileName() == null ? "" : Path.of(rel).normalize().getFileName().toString();
                out.add(new Source(p, name));
            }
            if (out.isEmpty()) {
                throw new BuildException(verb + " failed: no source files were specified");
            }
            if (out.size() > 1 && !destIsDirSyntax) {
                throw new BuildException("When using " + verb + " with more than one source file, the destination"
                        + " must be a directory and end with a /");
            }
            return out;
        }

        private List<Source> glob(Path root, String pattern) throws IOException {
            Pattern regex = Pattern.compile(DockerPath.globRegex(Path.of(pattern).normalize().toString()));
            List<Source> out = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted().toList()) {
                    String rel = root.relativize(p).toString();
                    if (!rel.isEmpty() && regex.matcher(rel).matches()) {
                        out.add(new Source(p, p.getFileName().toString()));
                    }
                }
            }
            return out;
        }

        private String checksum(StepContext ctx, Path root) throws BuildException, IOException {
            List<Source> all = resolve(ctx, root);
            MessageDigest sha = Digest.newSha256();
            for (Source s : all) {
                hashTree(sha, s.path(), s.name());
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            String kind = all.size() > 1 ? "multi" : Files.isDirectory(all.getFirst().path(), NOFOLLOW) ? "dir" : "file";
            return kind + ":" + hex;
        }

        private void copyAll(StepContext ctx, Path root, Path merged) throws BuildException, IOException {
            List<Source> all = resolve(ctx, root);
            Owner owner = Owner.parse(chown, merged);
            Path dest = RootPath.resolve(merged, destAbs);
            boolean destDir = destIsDirSyntax || Files.isDirectory(dest);
            for (Source s : all) {
                if (Files.isDirectory(s.path())) {
                    mkdirs(merged, dest);
                    copyTree(s.path(), dest, owner);
                } else if (add && !s.remote() && isArchive(s.path())) {
                    mkdirs(merged, dest);
                    untar(s.path(), dest, merged);
                } else {
                    Path target = destDir ? dest.resolve(s.name()) : dest;
                    mkdirs(merged, target.getParent());
                    copyFile(s.path(), target, owner);
                }
            }
        }

        private void mkdirs(Path merged, Path dir) throws IOException {
            if (Files.isDirectory(dir)) {
                return;
            }
            Path parent = dir.getParent();
            if (parent != null && parent.startsWith(merged) && !parent.equals(dir)) {
                mkdirs(merged, parent);
            }
            if (Files.exists(dir, NOFOLLOW)) {
                Files.delete(dir); // a file where a directory must go: Docker replaces it
            }
            Files.createDirectory(dir);
            Files.setAttribute(dir, "unix:mode", 0755, NOFOLLOW);
        }

        private void copyTree(Path from, Path to, Owner owner) throws IOException {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path target = to.resolve(from.relativize(dir).toString());
                    if (!dir.equals(from)) {
                        if (Files.exists(target, NOFOLLOW) && !Files.isDirectory(target, NOFOLLOW)) {
                            Files.delete(target);
                        }
                        if (!Files.isDirectory(target, NOFOLLOW)) {
                            Files.createDirectory(target);
                        }
                        attributes(dir, target, owner, true);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    copyFile(file, to.resolve(from.relativize(file).toString()), owner);
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        private void copyFile(Path from, Path to, Owner owner) throws IOException {
            if (Files.isDirectory(to, NOFOLLOW)) {
                deleteTree(to);
            }
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            attributes(from, to, owner, false);
        }

        private void attributes(Path from, Path to, Owner owner, boolean dir) throws IOException {
            Files.setAttribute(to, "unix:uid", owner.uid(), NOFOLLOW);
            Files.setAttribute(to, "unix:gid", owner.gid(), NOFOLLOW);
            if (Files.isSymbolicLink(to)) {
                return;
            }
            int mode = (int) Files.getAttribute(from, "unix:mode", NOFOLLOW) & 07777;
            Files.setAttribute(to, "unix:mode", chmod != null ? chmod : mode, NOFOLLOW);
            Files.setLastModifiedTime(to, Files.getLastModifiedTime(from, NOFOLLOW));
        }
    }

    private static boolean isArchive(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            TarArchiveInputStream tar = new TarArchiveInputStream(decompress(in));
            return tar.getNextEntry() != null;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static InputStream decompress(InputStream in) throws IOException {
        in.mark(4);
        byte[] m = in.readNBytes(3);
        in.reset();
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return new java.util.zip.GZIPInputStream(in);
        }
        if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
            return new BZip2CompressorInputStream(in, true);
        }
        return in;
    }

    /** ADD's archive unpacking: entries land under {@code dest}, never outside the image's root. */
    private static void untar(Path archive, Path dest, Path merged) throws IOException, BuildException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
            TarArchiveInputStream tar = new TarArchiveInputStream(decompress(in));
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                if (RootPath.escapes(name.startsWith("/") ? name.substring(1) : name)) {
                    throw new BuildException("ADD failed: archive entry " + name + " is outside the destination");
                }
                Path target = dest.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
                if (!target.startsWith(merged)) {
                    throw new BuildException("ADD failed: archive entry " + name + " is outside the destination");
                }
                Files.createDirectories(target.getParent());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                    continue;
                } else if (e.isFile()) {
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    continue;
                }
                Files.setAttribute(target, "unix:mode", e.getMode() & 07777, NOFOLLOW);
                Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
                Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
                Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(e.getModTime().toInstant()));
            }
        }
    }

    /** Adds the names, modes, link targets and content (not times) of the tree at {@code top} to {@code sha}. */
    static void hashTree(MessageDigest sha, Path top, String name) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(top)) {
            paths = walk.sorted().toList();
        }
        for (Path p : paths) {
            String rel = name + "/" + top.relativize(p);
            int mode = (int) Files.getAttribute(p, "unix:mode", NOFOLLOW);
            sha.update((rel + "\0" + Integer.toOctalString(mode) + "\0").getBytes(StandardCharsets.UTF_8));
            if (Files.isSymbolicLink(p)) {
                sha.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
            } else if (Files.isRegularFile(p, NOFOLLOW)) {
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sha.update(buf, 0, n);
                    }
                }
            }
            sha.update((byte) '\n');
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, NOFOLLOW)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
