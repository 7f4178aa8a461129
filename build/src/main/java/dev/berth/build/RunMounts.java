package dev.berth.build;

import dev.berth.oci.Digest;
import java.io.IOException;
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
import java.util.Locale;
import java.util.Set;

/**
 * {@code RUN --mount=...}, read as BuildKit reads it, and the mounts of one step made ready.
 *
 * <ul>
 * <li>{@code type=secret}: a {@code --secret} of the build as a read-only file (mode 0400 by default, at
 * {@code /run/secrets/<id>} by default) and/or an environment variable ({@code env=}). Its content is in no cache key,
 * history entry or layer: the file lives in the build's scratch directory only while the step runs.</li>
 * <li>{@code type=cache}: a directory kept across builds in the data root ({@link BuildHost#cacheMounts}), one per
 * {@code id} (the target by default), shared, locked or private as {@code sharing=} says.</li>
 * <li>{@code type=bind}: a path of the context or of {@code from=} (a stage or an image), read-only by default; with
 * {@code rw} the step writes on a copy that is thrown away. Its content is part of the cache key.</li>
 * <li>{@code type=tmpfs}: an empty tmpfs.</li>
 * </ul>
 * Mount points the runtime had to create are removed from the step's layer ({@link #removeStubs}), as BuildKit does.
 */
final class RunMounts implements AutoCloseable {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Set<String> TYPES = Set.of("bind", "cache", "tmpfs", "secret", "ssh");
    private static final Set<String> SHARING = Set.of("shared", "private", "locked");

    /** One {@code --mount}, expanded and checked; {@code target} is absolute (or empty for an env-only secret). */
    record Spec(String type, String target, String source, String from, boolean readOnly, String id, String sharing,
            boolean required, Integer mode, Integer uid, Integer gid, String env, long size) {}

    private final List<BuildHost.Mount> mounts = new ArrayList<>();
    private final List<String> env = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();

    private RunMounts() {}

    /** The {@code --mount} flags of a RUN. */
    static List<Spec> parse(Instruction in, StepContext ctx) throws BuildException {
        List<Spec> out = new ArrayList<>();
        for (String value : in.flagValues("mount")) {
            try {
                out.add(parse(value, ctx));
            } catch (BuildException e) {
                throw BuildException.parse(in.line(), e.getMessage());
            }
        }
        return out;
    }

    private static Spec parse(String value, StepContext ctx) throws BuildException {
        String type = "bind";
        String target = "";
        String source = "";
        String from = "";
        String id = "";
        String sharing = "";
        String env = "";
        Boolean readOnly = null;
        boolean required = false;
        Integer mode = null;
        Integer uid = null;
        Integer gid = null;
        long size = 0;
        for (String field : csv(value)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (eq < 0) {
                switch (key) {
                    case "readonly", "ro" -> readOnly = true;
                    case "readwrite", "rw" -> readOnly = false;
                    case "required" -> {
                        if (!type.equals("secret") && !type.equals("ssh")) {
                            throw new BuildException("unexpected key '" + key + "' for mount type '" + type + "'");
                        }
                        required = true;
                    }
                    default -> throw new BuildException("invalid field '" + field + "' must be a key=value pair");
                }
                continue;
            }
            String v = ctx.expand(field.substring(eq + 1));
            switch (key) {
                case "type" -> {
                    type = v.toLowerCase(Locale.ROOT);
                    if (!TYPES.contains(type)) {
                        throw new BuildException("unsupported mount type \"" + v + "\"");
                    }
                }
                case "from" -> from = v;
                case "source", "src" -> source = v;
                case "target", "dst", "destination" -> target = v;
                case "readonly", "ro" -> readOnly = bool(key, v);
                case "readwrite", "rw" -> readOnly = !bool(key, v);
                case "required" -> {
                    if (!type.equals("secret") && !type.equals("ssh")) {
                        throw new BuildException("unexpected key '" + key + "' for mount type '" + type + "'");
                    }
                    required = bool(key, v);
                }
                case "size" -> {
                    if (!type.equals("tmpfs")) {
                        throw new BuildException("unexpected key '" + key + "' for mount type '" + type + "'");
                    }
                    size = ramInBytes(key, v);
                }
                case "id" -> id = v;
                case "env" -> env = v;
                case "sharing" -> {
                    sharing = v.toLowerCase(Locale.ROOT);
                    if (!SHARING.contains(sharing)) {
                        throw new BuildException("unsupported sharing value \"" + v + "\"");
                    }
                }
                case "mode" -> mode = number(v, 8, "mode");
                case "uid" -> uid = number(v, 10, "uid");
                case "gid" -> gid = number(v, 10, "gid");
                default -> throw new BuildException("unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (!type.equals("secret") && !type.equals("ssh") && !type.equals("cache")) {
            String given = mode != null ? "mode" : uid != null ? "uid" : gid != null ? "gid" : null;
            if (given != null) {
                throw new BuildException(given + " not allowed for \"" + type + "\" type mounts");
            }
        }
        if (!sharing.isEmpty() && !type.equals("cache")) {
            throw new BuildException("invalid cache sharing set for " + type + " mount");
        }
        switch (type) {
            case "ssh" -> throw new BuildException("ssh mounts are not supported: Berth's builder has no SSH agent"
                    + " forwarding");
            case "secret" -> {
                if (!from.isEmpty()) {
                    throw new BuildException("secret mount should not have a from");
                }
                if (source.isEmpty() && target.isEmpty() && id.isEmpty()) {
                    throw new BuildException("invalid secret mount. one of source, target required");
                }
                if (!source.isEmpty() && !id.isEmpty()) {
                    throw new BuildException("both source and id can't be set");
                }
                id = !id.isEmpty() ? id : !source.isEmpty() ? source : baseName(target);
                if (target.isEmpty() && env.isEmpty()) {
                    target = "/run/secrets/" + baseName(id);
                }
                return new Spec(type, target.isEmpty() ? "" : absolute(target, ctx), "", "", true, id, "", required,
                        mode == null ? 0400 : mode, uid == null ? 0 : uid, gid == null ? 0 : gid, env, 0);
            }
            case "cache" -> {
                if (!from.isEmpty()) {
                    throw new BuildException("cache mounts with from are not supported");
                }
                target = absolute(target, ctx);
                return new Spec(type, target, "", "", readOnly != null && readOnly, id.isEmpty() ? target : id,
                        sharing.isEmpty() ? "shared" : sharing, false, mode == null ? 0755 : mode,
                        uid == null ? 0 : uid, gid == null ? 0 : gid, "", 0);
            }
            default -> {
                return new Spec(type, absolute(target, ctx), source, from,
                        readOnly == null ? type.equals("bind") : readOnly, "", "", false, null, null, null, "", size);
            }
        }
    }

    /** Fields as Go's encoding/csv reads one line: commas split, double quotes group. */
    private static List<String> csv(String line) throws BuildException {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new BuildException("failed to parse csv mounts: extraneous or missing \" in quoted-field");
        }
        out.add(field.toString());
        return out;
    }

    private static boolean bool(String key, String v) throws BuildException {
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new BuildException("invalid value for " + key + ": " + v);
        };
    }

    private static int number(String v, int radix, String what) throws BuildException {
        try {
            long n = Long.parseLong(v, radix);
            if (n < 0 || n > 0xffffffffL) {
                throw new NumberFormatException(v);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new BuildException("invalid value " + v + " for " + what);
        }
    }

    private static long ramInBytes(String key, String v) throws BuildException {
        var m = java.util.regex.Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)i?b?").matcher(v.strip());
        if (!m.matches()) {
            throw new BuildException("invalid value for " + key + ": " + v);
        }
        int power = "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        return (long) (Double.parseDouble(m.group(1)) * Math.pow(1024, power));
    }

    private static String baseName(String path) {
        String p = path.replaceAll("/+$", "");
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** A target as BuildKit places it: relative to the working directory; the root itself is refused. */
    private static String absolute(String target, StepContext ctx) throws BuildException {
        String dir = ctx.state.workingDir().isEmpty() ? "/" : ctx.state.workingDir();
        String joined = Path.of("/").resolve(target.startsWith("/") ? target : dir + "/" + target).normalize()
                .toString();
        if (joined.equals("/")) {
            throw new BuildException("invalid mount target \"" + joined + "\"");
        }
        return joined;
    }

    /**
     * What the mounts add to the step's cache key: each mount as written and, for a bind, the checksum of what it
     * shows. Never a secret's value.
     */
    static String cacheText(List<Spec> specs, StepContext ctx) throws BuildException {
        StringBuilder text = new StringBuilder();
        for (Spec s : specs) {
            text.append("\nmount ").append(s.type()).append(' ').append(s.target()).append(" id=").append(s.id())
                    .append(" env=").append(s.env()).append(" from=").append(s.from()).append(" source=")
                    .append(s.source()).append(" ro=").append(s.readOnly()).append(" sharing=").append(s.sharing())
                    .append(" mode=").append(s.mode()).append(" uid=").append(s.uid()).append(" gid=")
                    .append(s.gid()).append(" size=").append(s.size());
            if (s.type().equals("bind")) {
                String content = RunMounts.<String>withRoot(s, ctx, root -> {
                    MessageDigest sha = Digest.newSha256();
                    Path p = RootPath.resolve(root, s.source().isEmpty() ? "/" : s.source());
                    if (!Files.exists(p, NOFOLLOW)) {
                        throw notFound(s);
                    }
                    CopyInstruction.hashTree(sha, p, "");
                    return HexFormat.of().formatHex(sha.digest());
                });
                text.append(" content=").append(content);
            }
        }
        return text.toString();
    }

    private static BuildException notFound(Spec s) {
        return new BuildException("failed to compute cache key: failed to calculate checksum of ref: \"/"
                + s.source().replaceAll("^/+", "") + "\": not found");
    }

    private interface RootWork<T> {
        T run(Path root) throws BuildException, IOException;
    }

    /** Runs {@code work} on the root a bind reads from: the context, or the --from stage or image mounted. */
    private static <T> T withRoot(Spec s, StepContext ctx, RootWork<T> work) throws BuildException {
        try {
            if (s.from().isEmpty()) {
                return work.run(ctx.build.contextDir());
            }
            List<String> layers = ctx.build.sources().layers(s.from(), ctx.state.index);
            Path dir = Files.createTempDirectory(ctx.build.tmp(), "from-");
            try {
                return work.run(ctx.build.snapshots().mount(layers, dir));
            } finally {
                ctx.build.snapshots().remove(dir);
                CopyInstruction.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new BuildException("RUN --mount failed: " + e.getMessage(), 1, false, e);
        }
    }

    /**
     * Makes the mounts ready for one run of the step: a missing secret that is {@code required} fails the build,
     * other missing secrets are left out, as in BuildKit. {@link #close} undoes everything.
     */
    static RunMounts open(List<Spec> specs, StepContext ctx) throws BuildException {
        RunMounts m = new RunMounts();
        try {
            for (Spec s : specs) {
                switch (s.type()) {
                    case "secret" -> m.secret(s, ctx);
                    case "cache" -> m.cache(s, ctx);
                    case "tmpfs" -> m.mounts.add(new BuildHost.Mount("tmpfs", null, s.target(), s.readOnly(),
                            s.size()));
                    default -> m.bind(s, ctx);
                }
            }
            return m;
        } catch (BuildException | RuntimeException e) {
            m.close();
            throw e;
        } catch (IOException e) {
            m.close();
            throw new BuildException("RUN --mount failed: " + e.getMessage(), 1, false, e);
        }
    }

    List<BuildHost.Mount> mounts() {
        return mounts;
    }

    /** {@code NAME=value} of the secrets given as environment variables. */
    List<String> env() {
        return env;
    }

    private void secret(Spec s, StepContext ctx) throws BuildException, IOException {
        byte[] value = ctx.build.options().secrets().get(s.id());
        if (value == null) {
            if (s.required()) {
                throw new BuildException("secret " + s.id() + ": not found");
            }
            return;
        }
        if (!s.env().isEmpty()) {
            env.add(s.env() + "=" + new String(value, StandardCharsets.UTF_8));
        }
        if (s.target().isEmpty()) {
            return;
        }
        Path dir = Files.createTempDirectory(ctx.build.tmp(), "secret-");
        cleanups.add(() -> delete(dir));
        Files.setAttribute(dir, "unix:mode", 0700);
        Path file = dir.resolve("secret");
        Files.write(file, value);
        Files.setAttribute(file, "unix:uid", s.uid(), NOFOLLOW);
        Files.setAttribute(file, "unix:gid", s.gid(), NOFOLLOW);
        Files.setAttribute(file, "unix:mode", s.mode() & 07777, NOFOLLOW);
        mounts.add(new BuildHost.Mount("bind", file, s.target(), true, 0));
    }

    private void cache(Spec s, StepContext ctx) throws BuildException, IOException {
        CacheMounts.Lease lease = ctx.build.cacheMounts().acquire(s, ctx.build.tmp());
        cleanups.add(lease::release);
        mounts.add(new BuildHost.Mount("bind", lease.dir(), s.target(), s.readOnly(), 0));
    }

    private void bind(Spec s, StepContext ctx) throws BuildException, IOException {
        Path root;
        if (s.from().isEmpty()) {
            root = ctx.build.contextDir();
        } else {
            Path dir = Files.createTempDirectory(ctx.build.tmp(), "bind-");
            cleanups.add(() -> {
                try {
                    ctx.build.snapshots().remove(dir);
                } catch (IOException e) {
                    // the build's scratch directory goes with the build
                }
                delete(dir);
            });
            root = ctx.build.snapshots().mount(ctx.build.sources().layers(s.from(), ctx.state.index), dir);
        }
        Path source = RootPath.resolve(root, s.source().isEmpty() ? "/" : s.source());
        if (!Files.exists(source, NOFOLLOW)) {
            throw notFound(s);
        }
        if (!s.readOnly()) { // writes go to a copy that the step's end throws away
            Path copy = Files.createTempDirectory(ctx.build.tmp(), "rw-");
            cleanups.add(() -> delete(copy));
            Path to = copy.resolve("data");
            copyTree(source, to);
            source = to;
        }
        mounts.add(new BuildHost.Mount("bind", source, s.target(), s.readOnly(), 0));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.copy(dir, target, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                owner(dir, target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                owner(file, target);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void owner(Path from, Path to) throws IOException {
        Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid", NOFOLLOW), NOFOLLOW);
        Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid", NOFOLLOW), NOFOLLOW);
    }

    /**
     * Removes from the step's upper dir the mount points the runtime created for these mounts (empty files and
     * directories, up to the first one the lower layers have), so that no mount leaves a trace in the layer.
     */
    static void removeStubs(List<BuildHost.Mount> mounts, Path upper, List<Path> lowerDirs) throws IOException {
        for (BuildHost.Mount m : mounts) {
            Path rel = Path.of(m.target().substring(1));
            while (rel != null) {
                Path p = upper.resolve(rel.toString());
                if (inLower(lowerDirs, rel) || !isEmpty(p)) {
                    break;
                }
                Files.delete(p);
                rel = rel.getParent();
            }
        }
    }

    private static boolean inLower(List<Path> lowerDirs, Path rel) {
        for (Path lower : lowerDirs) {
            if (Files.exists(lower.resolve(rel.toString()), NOFOLLOW)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmpty(Path p) throws IOException {
        if (Files.isRegularFile(p, NOFOLLOW)) {
            return Files.size(p) == 0;
        }
        if (Files.isDirectory(p, NOFOLLOW)) {
            try (var list = Files.list(p)) {
                return list.findAny().isEmpty();
            }
        }
        return false;
    }

    private static void delete(Path dir) {
        try {
            CopyInstruction.deleteTree(dir);
        } catch (IOException e) {
            // the build's scratch directory goes with the build
        }
    }

    @Override
    public void close() {
        for (Runnable r : cleanups.reversed()) {
            r.run();
        }
        cleanups.clear();
    }
}
