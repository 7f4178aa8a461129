package dev.berth.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The files of one container's log, and how they rotate without the daemon in the write path.
 *
 * <p>conmon writes {@code ctr.log}. With a size limit ({@code --log-size-max}) it starts a new file when the next record
 * would pass the limit: it opens {@code ctr.log.tmp} (creating, truncating) and renames it over {@code ctr.log}. On its
 * own that throws the old content away. Berth keeps it by numbering the files, <em>generations</em>
 * {@code ctr.log.<n>} with n increasing: {@code ctr.log.tmp} is kept as a symbolic link to the next, not yet existing
 * generation, so conmon's open creates that generation and its rename only moves the link to the name {@code ctr.log}.
 * conmon thus writes straight into numbered files that no rename ever replaces; after each rotation the daemon puts
 * the next link in place. If conmon rotates again before that (the daemon is down, or several rotations come within
 * microseconds), it creates a plain file; the daemon gives that file a generation name too (a hard link) when it sees
 * it, so only a file that is rotated away before the daemon saw it is lost. Generations that are no longer written may
 * be gzipped ({@code ctr.log.<n>.gz}); the oldest are deleted so that at most {@code maxFiles} files remain.
 *
 * <p>So the daemon never copies log data and conmon never waits for it: while the daemon is down, conmon still writes
 * and still starts new files at the limit, and the disk stays bounded. {@link #maintain} is idempotent and safe to call
 * at any time, from one thread at a time per log.
 */
public final class LogFiles {
    private final Path current;
    private final Path next;
    /** {@code <name>.<n>} or {@code <name>.<n>.gz} */
    private final Pattern generation;

    /** @param current the file conmon writes, {@code <container dir>/ctr.log} */
    public LogFiles(Path current) {
        this.current = current.toAbsolutePath();
        this.next = this.current.resolveSibling(this.current.getFileName() + ".tmp");
        this.generation = Pattern.compile(Pattern.quote(this.current.getFileName().toString()) + "\\.(\\d+)(\\.gz)?");
    }

    public Path current() {
        return current;
    }

    public Path dir() {
        return current.getParent();
    }

    /** One rotated or current file: its number, path, and whether it is gzipped. */
    public record Generation(long number, Path path, boolean gzipped) {}

    /** The generations on disk, oldest first. */
    public List<Generation> generations() throws IOException {
        List<Generation> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path p : files.toList()) {
                Matcher m = generation.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(new Generation(Long.parseLong(m.group(1)), p, m.group(2) != null));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        out.sort(Comparator.comparingLong(Generation::number));
        // a plain file and its .gz can both exist for a moment while compressing: the plain one is complete, keep it
        List<Generation> unique = new ArrayList<>();
        for (Generation g : out) {
            if (!unique.isEmpty() && unique.getLast().number() == g.number()) {
                if (g.gzipped()) {
                    continue;
                }
                unique.removeLast();
            }
            unique.add(g);
        }
        return unique;
    }

    /** One file to read: a path, whether it is gzipped, and whether conmon may still be appending to it. */
    public record Part(Path path, boolean gzipped, boolean live) {}

    /**
     * The files holding the log, oldest first, each once: the generations, then {@code ctr.log} when it is not one of them
     * yet. The last part is the one conmon writes.
     */
    public List<Part> parts() throws IOException {
        Object currentKey = currentKey();
        List<Part> out = new ArrayList<>();
        boolean currentLinked = false;
        for (Generation g : generations()) {
            boolean isCurrent = !g.gzipped() && currentKey != null && currentKey.equals(fileKey(g.path()));
            currentLinked |= isCurrent;
            out.add(new Part(g.path(), g.gzipped(), isCurrent));
        }
        if (currentKey != null && !currentLinked) {
            out.add(new Part(current, false, true));
        }
        return out;
    }

    /**
     * Brings the files in line with the policy: names the current file as a generation if conmon made a plain one,
     * deletes the oldest beyond {@code maxFiles}, compresses the others if asked, and puts the link for conmon's next
     * file in place.
     */
    public void maintain(LogPolicy policy) throws IOException {
        Object currentKey = currentKey();
        List<Generation> gens = new ArrayList<>(generations());
        boolean linked = false;
        for (Generation g : gens) {
            linked |= !g.gzipped() && currentKey != null && currentKey.equals(fileKey(g.path()));
        }
        if (currentKey != null && !linked && !Files.isSymbolicLink(current)) {
            long number = highestNumber(gens) + 1;
            Path name = generationPath(number);
            try {
                Files.createLink(name, current);
                gens.add(new Generation(number, name, false));
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                // conmon renamed a new file in just now: the next call sees a settled state
            }
        }
        currentKey = currentKey();
        int keep = policy.maxFiles();
        for (int i = 0; i < gens.size() - keep; i++) {
            Files.deleteIfExists(gens.get(i).path());
        }
        if (policy.compress()) {
            for (Generation g : gens.subList(Math.max(0, gens.size() - keep), gens.size())) {
                if (!g.gzipped() && !Objects.equals(currentKey, fileKey(g.path()))) {
                    gzip(g.path());
                }
            }
        }
        if (policy.maxSize() > 0 && !Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
            try {
                // never replaced, only created: a plain ctr.log.tmp is conmon's own, between its open and its rename
                Files.createSymbolicLink(next, generationPath(highestNumber(generations()) + 1).getFileName());
            } catch (FileAlreadyExistsException e) {
                // conmon is rotating right now; the event of its rename brings us back
            }
        }
    }

    /**
     * Before conmon starts (a container start): keeps what the previous run wrote as a generation and points
     * {@code ctr.log} at a new one. conmon counts its size limit from zero when it starts, so appending to the old file
     * could make it twice as large as allowed.
     */
    public void beforeStart(LogPolicy policy) throws IOException {
        if (Files.exists(current) && Files.size(current) > 0) {
            maintain(policy);
        }
        // conmon is not running: nothing is between an open and a rename of these two names
        Files.deleteIfExists(next);
        Files.deleteIfExists(current);
        Files.createSymbolicLink(current, generationPath(highestNumber(generations()) + 1).getFileName());
        maintain(policy);
    }

    private Path generationPath(long number) {
        return dir().resolve(current.getFileName() + "." + number);
    }

    /** The highest generation number on disk or named by the links of conmon's current and next file. */
    private long highestNumber(List<Generation> gens) throws IOException {
        long highest = gens.isEmpty() ? 0 : gens.getLast().number();
        for (Path link : List.of(current, next)) {
            if (Files.isSymbolicLink(link)) {
                Matcher m = generation.matcher(Files.readSymbolicLink(link).getFileName().toString());
                if (m.matches()) {
                    highest = Math.max(highest, Long.parseLong(m.group(1)));
                }
            }
        }
        return highest;
    }

    /** Bytes on disk, each file once. */
    public long size() throws IOException {
        long total = 0;
        for (Part p : parts()) {
            try {
                total += Files.size(p.path());
            } catch (NoSuchFileException e) {
                // rotated away meanwhile
            }
        }
        return total;
    }

    private static void gzip(Path plain) throws IOException {
        Path gz = plain.resolveSibling(plain.getFileName() + ".gz");
        Path tmp = plain.resolveSibling(plain.getFileName() + ".gz.tmp");
        try (InputStream in = Files.newInputStream(plain);
                OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
            in.transferTo(out);
        } catch (NoSuchFileException e) {
            Files.deleteIfExists(tmp);
            return; // deleted meanwhile (a container removed while its log was compressed)
        }
        Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(plain);
    }

    /** The identity of the file conmon writes (through the link), or null when there is none yet. */
    Object currentKey() throws IOException {
        return fileKey(current);
    }

    /** The (device, inode) identity of a file, links followed, or null when it does not exist. */
    static Object fileKey(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
