package dev.berth.registry.server;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The registry's files under its root directory. Layout:
 *
 * <pre>
 * blobs/&lt;alg&gt;/&lt;hex&gt;                               content, read-only, shared by every repository
 * uploads/&lt;uuid&gt;/data, uploads/&lt;uuid&gt;/repo           uploads in progress (same file system as blobs/)
 * repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;         link: the blob belongs to the repository
 * repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;   link: the manifest belongs to the repository
 * repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;      the tag's manifest digest
 * repositories/&lt;name&gt;/_referrers/&lt;alg&gt;/&lt;subject hex&gt;/&lt;alg&gt;-&lt;hex&gt;   link: a manifest whose subject is it
 * </pre>
 *
 * <p>Crash safety: content is written to {@code uploads/}, verified against its digest, flushed and renamed into
 * {@code blobs/}; links and tags are written to a temporary file and renamed. A crash leaves at worst an upload or a
 * blob that nothing references, which garbage collection removes after its grace period.
 *
 * <p>Online garbage collection ({@link GarbageCollector}) relies on one rule: every operation that makes a blob
 * reachable again (an upload completing, a mount, a HEAD a client makes before deciding not to upload, a manifest
 * referring to it) touches the blob's modification time, and the sweep deletes only blobs untouched for the grace
 * period. Within one process the {@link #gcLock() lock} also makes "check, then delete" atomic against those
 * operations.
 */
final class RegistryStorage {
    /** Repository names as the distribution spec defines them. */
    static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private final Path root;
    private final ReadWriteLock gcLock = new ReentrantReadWriteLock();

    RegistryStorage(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("blobs"));
            Files.createDirectories(root.resolve("uploads"));
            Files.createDirectories(root.resolve("repositories"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes what a crash can leave half written: manifests being stored ({@code uploads/put-*}) and link or tag
     * files being renamed into place (dot files under {@code repositories/}). Uploads stay: they can be resumed. Only
     * for a server starting on the root, never while another process writes to it.
     */
    void repair() throws IOException {
        for (String name : listNames(root.resolve("uploads"))) {
            if (name.startsWith("put-")) {
                Files.deleteIfExists(root.resolve("uploads").resolve(name));
            }
        }
        try (Stream<Path> walk = Files.walk(root.resolve("repositories"))) {
            for (Path p : walk.filter(f -> f.getFileName().toString().startsWith(".") && Files.isRegularFile(f))
                    .toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    Path root() {
        return root;
    }

    /** Writers hold the read side (many at once); the collector's delete holds the write side. */
    ReadWriteLock gcLock() {
        return gcLock;
    }

    // ---------------------------------------------------------------- blobs

    Path blobPath(Digest d) {
        return root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    boolean blobExists(Digest d) {
        return Files.isRegularFile(blobPath(d));
    }

    long blobSize(Digest d) throws IOException {
        return Files.size(blobPath(d));
    }

    /** Marks the blob as recently used, so a concurrent garbage collection keeps it (see the class comment). */
    void touch(Digest d) {
        try {
            Files.setLastModifiedTime(blobPath(d), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // gone or unwritable: the caller's next existence check decides
        }
    }

    byte[] readBlob(Digest d) throws IOException {
        return Files.readAllBytes(blobPath(d));
    }

    /** Moves a verified file into {@code blobs/}; if the blob is already there the file is dropped and it is touched. */
    void commitBlob(Path verified, Digest d) throws IOException {
        Path target = blobPath(d);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            Files.deleteIfExists(verified);
            touch(d);
            return;
        }
        try (FileChannel ch = FileChannel.open(verified, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.setPosixFilePermissions(verified, PosixFilePermissions.fromString("r--r--r--"));
        moveAtomically(verified, target);
        touch(d);
    }

    /** Stores small content (a manifest) as a blob. */
    void putBlob(byte[] content, Digest d) throws IOException {
        if (blobExists(d)) {
            touch(d);
            return;
        }
        Path tmp = root.resolve("uploads").resolve("put-" + UUID.randomUUID());
        Files.write(tmp, content);
        commitBlob(tmp, d);
    }

    // ---------------------------------------------------------------- repositories

    Path repoPath(String name) {
        return root.resolve("repositories").resolve(name);
    }

    boolean repoExists(String name) {
        return Files.isDirectory(repoPath(name).resolve("_manifests"))
                || Files.isDirectory(repoPath(name).resolve("_layers"));
    }

    Path layerLink(String name, Digest d) {
        return repoPath(name).resolve("_layers").resolve(d.algorithm()).resolve(d.hex());
    }

    Path revisionLink(String name, Digest d) {
        return repoPath(name).resolve("_manifests").resolve("revisions").resolve(d.algorithm()).resolve(d.hex());
    }

    Path tagPath(String name, String tag) {
        return repoPath(name).resolve("_manifests").resolve("tags").resolve(tag);
    }

    Path referrersDir(String name, Digest subject) {
        return repoPath(name).resolve("_referrers").resolve(subject.algorithm()).resolve(subject.hex());
    }

    /** The blob is in the repository: linked to it and present in {@code blobs/}. */
    boolean hasBlob(String name, Digest d) {
        return Files.exists(layerLink(name, d)) && blobExists(d);
    }

    boolean hasManifest(String name, Digest d) {
        return Files.exists(revisionLink(name, d)) && blobExists(d);
    }

    void linkBlob(String name, Digest d) throws IOException {
        writeAtomically(layerLink(name, d), d.toString());
    }

    void linkManifest(String name, Digest d) throws IOException {
        writeAtomically(revisionLink(name, d), d.toString());
    }

    void tag(String name, String tag, Digest d) throws IOException {
        writeAtomically(tagPath(name, tag), d.toString());
    }

    void linkReferrer(String name, Digest subject, Digest referrer) throws IOException {
        writeAtomically(referrersDir(name, subject).resolve(referrer.algorithm() + "-" + referrer.hex()),
                referrer.toString());
    }

    Optional<Digest> resolveTag(String name, String tag) throws IOException {
        try {
            return Optional.of(Digest.parse(Files.readString(tagPath(name, tag)).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    List<String> tags(String name) throws IOException {
        // names starting with a dot are tag files being written (see writeAtomically)
        return listNames(repoPath(name).resolve("_manifests").resolve("tags")).stream()
                .filter(t -> !t.startsWith(".")).toList();
    }

    /** Tags pointing at the digest. */
    List<String> tagsOf(String name, Digest d) throws IOException {
        List<String> out = new ArrayList<>();
        for (String tag : tags(name)) {
            if (resolveTag(name, tag).filter(d::equals).isPresent()) {
                out.add(tag);
            }
        }
        return out;
    }

    List<Digest> referrers(String name, Digest subject) throws IOException {
        List<Digest> out = new ArrayList<>();
        for (String f : listNames(referrersDir(name, subject))) {
            if (!f.startsWith(".")) {
                out.add(Digest.parse(f.replaceFirst("-", ":")));
            }
        }
        return out;
    }

    /** Every repository name, sorted. */
    List<String> repositories() throws IOException {
        List<String> out = new ArrayList<>();
        collectRepositories(root.resolve("repositories"), "", out);
        out.sort(null);
        return out;
    }

    /**
     * Descends only into name components, never into a repository's {@code _layers} or {@code _manifests}: cheap, and
     * indifferent to link files appearing and disappearing while pushes run.
     */
    private void collectRepositories(Path dir, String prefix, List<String> out) throws IOException {
        for (String child : listNames(dir)) {
            Path p = dir.resolve(child);
            if (child.startsWith("_") || child.startsWith(".") || !Files.isDirectory(p)) {
                continue;
            }
            String name = prefix + child;
            if (repoExists(name)) {
                out.add(name);
            }
            collectRepositories(p, name + "/", out);
        }
    }

    /** Every manifest digest linked in the repository. */
    List<Digest> revisions(String name) throws IOException {
        return linked(repoPath(name).resolve("_manifests").resolve("revisions"));
    }

    List<Digest> layers(String name) throws IOException {
        return linked(repoPath(name).resolve("_layers"));
    }

    private static List<Digest> linked(Path dir) throws IOException {
        List<Digest> out = new ArrayList<>();
        for (String alg : listNames(dir)) {
            for (String hex : listNames(dir.resolve(alg))) {
                if (!hex.startsWith(".")) {
                    try {
                        out.add(new Digest(alg, hex));
                    } catch (IllegalArgumentException e) {
                        // not a link
                    }
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- uploads

    Path uploadDir(String uuid) {
        return root.resolve("uploads").resolve(uuid);
    }

    String newUpload(String name) throws IOException {
        String uuid = UUID.randomUUID().toString();
        Path dir = uploadDir(uuid);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("repo"), name);
        Files.createFile(dir.resolve("data"));
        return uuid;
    }

    /** The upload's data file, if the upload exists and belongs to the repository. */
    Optional<Path> upload(String name, String uuid) {
        try {
            UUID.fromString(uuid);
            Path dir = uploadDir(uuid);
            if (Files.readString(dir.resolve("repo")).equals(name) && Files.exists(dir.resolve("data"))) {
                return Optional.of(dir.resolve("data"));
            }
        } catch (IllegalArgumentException | IOException e) {
            // unknown
        }
        return Optional.empty();
    }

    void deleteUpload(String uuid) throws IOException {
        deleteTree(uploadDir(uuid));
    }

    // ---------------------------------------------------------------- helpers

    static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Digest digestOf(Path file, String algorithm) throws IOException {
        MessageDigest md = hasher(algorithm);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
    }

    static List<String> listNames(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    static void writeAtomically(Path target, String content) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID());
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        moveAtomically(tmp, target);
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a directory tree; parts that vanish meanwhile (another request finishing) are no error. */
    static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            for (String child : listNames(path)) {
                deleteTree(path.resolve(child));
            }
        }
        Files.deleteIfExists(path);
    }
}
