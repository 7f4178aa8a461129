package dev.berth.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * Reads conmon's k8s-file logs: one record per line, {@code <RFC 3339 time with nanoseconds> <stdout|stderr> <F|P>
 * <text>}, where P marks a partial record (conmon flushed output that had no newline yet) to be joined with the following
 * records of the same stream up to the next F. A log is several files ({@link LogFiles}): rotated generations, some
 * gzipped, then the file conmon writes; they are read in that order as one stream.
 *
 * <p>{@code tail} reads the newest file backwards from its end in blocks, going to older files only while it has not
 * found enough lines, so asking for the last lines of a huge log costs only those lines. Following waits for the file to
 * change through the daemon's one {@link LogWatcher} (inotify), not by polling, and goes on in the new file when conmon
 * starts one.
 */
public final class LogReader {
    /** Receives entries in file order; returns false to stop reading. */
    @FunctionalInterface
    public interface Sink {
        boolean accept(LogEntry entry) throws IOException;
    }

    private static final int BLOCK = 64 * 1024;
    /** Longer than any record header: a 35-character time, "stdout", the tag and three spaces. */
    private static final int HEADER_MAX = 96;
    /** How often a follower re-checks whether it should go on when the file does not change. */
    private static final long FOLLOW_RECHECK_MILLIS = 500;
    /**
     * After a wake-up a follower waits this long before reading, so that a container writing without pause is read in
     * batches: a few dozen reads a second at most, whatever the rate of writes.
     */
    private static final long FOLLOW_BATCH_MILLIS = 25;

    private LogReader() {}

    /** Reads the entries {@code query} selects from one file as it is now; a missing file has none. */
    public static void read(Path file, LogQuery query, Sink sink) throws IOException {
        read(new LogFiles(file), query, sink);
    }

    /** Reads the entries {@code query} selects from all the files of a log as they are now. */
    public static void read(LogFiles files, LogQuery query, Sink sink) throws IOException {
        List<LogFiles.Part> parts = files.parts();
        Parser parser = new Parser(query, sink);
        Start start = start(parts, query);
        for (int i = start.index(); i < parts.size() && !parser.stopped; i++) {
            feed(parts.get(i), i == start.index() ? start.position() : 0, parser);
        }
        parser.finish();
    }

    /**
     * Reads like {@link #read}, then goes on with entries appended to the log for as long as {@code active} says so
     * (typically: the container is running and the client is connected); then reads what is left and returns.
     */
    public static void follow(LogFiles files, LogQuery query, LogWatcher watcher, BooleanSupplier active, Sink sink)
            throws IOException, InterruptedException {
        try (LogWatcher.Follower follower = watcher.follow(files)) {
            Parser parser = new Parser(query, sink);
            List<LogFiles.Part> parts = files.parts();
            Start start = start(parts, query);
            for (int i = start.index(); i < parts.size() - 1 && !parser.stopped; i++) {
                feed(parts.get(i), i == start.index() ? start.position() : 0, parser);
            }
            Live live = null;
            if (!parts.isEmpty() && parts.getLast().live()) {
                live = Live.open(parts.getLast().path());
                parser.position = start.index() == parts.size() - 1 ? start.position() : 0;
            }
            try {
                while (true) {
                    boolean stillActive = active.getAsBoolean();
                    if (live == null) {
                        live = Live.open(files.current());
                        parser.position = 0;
                    }
                    if (live != null) {
                        if (live.channel.size() < parser.position) {
                            parser.position = 0; // the file was truncated: start over
                        }
                        parser.readAvailable(live.channel);
                        Object now = files.currentKey();
                        if (now != null && !now.equals(live.key)) {
                            // conmon flushed the old file before it renamed the new one in: read the rest, then switch
                            parser.readAvailable(live.channel);
                            live.close();
                            live = null;
                            continue;
                        }
                        parser.releaseTail();
                    }
                    if (parser.stopped) {
                        return;
                    }
                    if (!stillActive) {
                        parser.finish();
                        return;
                    }
                    follower.arm();
                    if (live != null && live.channel.size() > parser.position) {
                        continue; // written before we armed
                    }
                    if (follower.await(FOLLOW_RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                        Thread.sleep(FOLLOW_BATCH_MILLIS);
                    }
                }
            } finally {
                if (live != null) {
                    live.close();
                }
            }
        }
    }

    /** The file conmon writes, open, with the identity it had when opened. */
    private record Live(FileChannel channel, Object key) {
        static Live open(Path file) throws IOException {
            for (int attempt = 0; attempt < 3; attempt++) {
                Object before = LogFiles.fileKey(file);
                FileChannel channel;
                try {
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    return null;
                }
                if (before != null && before.equals(LogFiles.fileKey(file))) {
                    return new Live(channel, before);
                }
                channel.close(); // renamed over between the two looks: look again
            }
            return null;
        }

        void close() throws IOException {
            channel.close();
        }
    }

    /** Where reading starts: a part and a byte position in it. */
    private record Start(int index, long position) {}

    /** The first part and position that hold the last {@code tail} selected entries (all of the log for no tail). */
    private static Start start(List<LogFiles.Part> parts, LogQuery query) throws IOException {
        if (query.tail() < 0 || parts.isEmpty()) {
            return new Start(0, 0);
        }
        int last = parts.size() - 1;
        if (query.tail() == 0) {
            return new Start(last, size(parts.get(last)));
        }
        int need = query.tail();
        for (int i = last; i >= 0; i--) {
            LogFiles.Part part = parts.get(i);
            TailScan scan;
            if (part.gzipped()) {
                scan = new TailScan(0, countGzipped(part.path(), query));
            } else {
                try (FileChannel channel = FileChannel.open(part.path(), StandardOpenOption.READ)) {
                    scan = tailStart(channel, query, need);
                } catch (NoSuchFileException e) {
                    continue; // compressed or dropped meanwhile
                }
            }
            if (scan.counted() >= need) {
                return new Start(i, scan.position());
            }
            need -= scan.counted();
        }
        return new Start(0, 0);
    }

    private static long size(LogFiles.Part part) throws IOException {
        try {
            return part.gzipped() ? 0 : Files.size(part.path());
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Feeds one part to the parser from {@code position} (plain files only; gzipped ones are read whole). */
    private static void feed(LogFiles.Part part, long position, Parser parser) throws IOException {
        if (!part.gzipped()) {
            try (FileChannel channel = FileChannel.open(part.path(), StandardOpenOption.READ)) {
                parser.position = position;
                parser.readAvailable(channel);
                return;
            } catch (NoSuchFileException e) {
                // compressed since we listed it: read the .gz below
            }
        }
        Path gz = part.gzipped() ? part.path() : part.path().resolveSibling(part.path().getFileName() + ".gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), BLOCK)) {
            parser.readStream(in);
        } catch (NoSuchFileException e) {
            // dropped by rotation since we listed it
        }
    }

    private static int countGzipped(Path gz, LogQuery query) throws IOException {
        int[] count = {0};
        Parser counter = new Parser(new LogQuery(query.streams(), -1, Optional.empty(), Optional.empty()), e -> {
            count[0]++;
            return true;
        });
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), BLOCK)) {
            counter.readStream(in);
        } catch (NoSuchFileException e) {
            return 0;
        }
        return count[0];
    }

    /** How far back {@link #tailStart} went, and how many complete selected entries it found on the way. */
    record TailScan(long position, int counted) {}

    /**
     * Where to start in one file so that its last {@code need} selected entries are complete. Walking back over records,
     * each selected F record is the end of an entry; the first {@code need} of them are wanted, and a wanted entry of a
     * stream goes on backwards over that stream's P records up to the stream's previous F record. The start is the
     * earliest of those previous F records (the parser drops the extra entry it begins with), so only the wanted lines
     * are read, whatever the rest of the file holds. When the file holds fewer, the scan ends at its start with the
     * number it found.
     */
    static TailScan tailStart(FileChannel channel, LogQuery query, int need) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return new TailScan(0, 0);
        }
        int counted = 0;
        Set<LogStream> open = EnumSet.noneOf(LogStream.class); // streams whose earliest wanted entry may go further back
        Set<LogStream> seen = EnumSet.noneOf(LogStream.class);
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        long searchEnd = size - 1; // the last byte ends the last line; line starts follow earlier newlines
        while (searchEnd >= 0) {
            long blockStart = Math.max(0, searchEnd - BLOCK);
            block.clear().limit((int) (searchEnd - blockStart));
            readFully(channel, block, blockStart);
            for (int i = block.limit() - 1; i >= -1; i--) {
                if (i >= 0 ? block.get(i) != '\n' : blockStart != 0) {
                    continue; // i == -1 stands for the file's first line, which follows no newline
                }
                long lineStart = blockStart + i + 1;
                Header header = header(channel, lineStart);
                if (header == null || !query.streams().contains(header.stream())) {
                    continue;
                }
                LogStream stream = header.stream();
                if (!header.full()) {
                    if (seen.add(stream)) {
                        open.add(stream); // output still waiting for its newline: shown at the end, so wanted
                    }
                    continue;
                }
                seen.add(stream);
                if (counted < need) {
                    counted++;
                    open.add(stream);
                } else if (open.remove(stream) && open.isEmpty()) {
                    return new TailScan(lineStart, counted);
                }
            }
            if (blockStart == 0) {
                break;
            }
            searchEnd = blockStart;
        }
        return new TailScan(0, counted);
    }

    private record Header(LogStream stream, boolean full) {}

    private static Header header(FileChannel channel, long lineStart) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_MAX);
        channel.read(buffer, lineStart);
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        int end = bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                end = i;
                break;
            }
        }
        Record record = Record.parse(bytes, end);
        return record == null ? null : new Header(record.stream(), record.full());
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("log file shrank while reading it backwards");
            }
            at += n;
        }
        buffer.flip();
    }

    /** One line of the file. */
    record Record(Instant time, LogStream stream, boolean full, byte[] text) {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

        /** Parses {@code line[0..end)}; null for a line that is not a record (it is skipped, as Podman does). */
        static Record parse(byte[] line, int end) {
            int s1 = indexOf(line, 0, end);
            int s2 = s1 < 0 ? -1 : indexOf(line, s1 + 1, end);
            if (s2 < 0) {
                return null;
            }
            int s3 = indexOf(line, s2 + 1, end);
            int tagEnd = s3 < 0 ? end : s3;
            String stream = new String(line, s1 + 1, s2 - s1 - 1, StandardCharsets.US_ASCII);
            String tag = new String(line, s2 + 1, tagEnd - s2 - 1, StandardCharsets.US_ASCII);
            LogStream logStream = switch (stream) {
                case "stdout" -> LogStream.STDOUT;
                case "stderr" -> LogStream.STDERR;
                default -> null;
            };
            if (logStream == null || !(tag.equals("F") || tag.equals("P"))) {
                return null;
            }
            Instant time;
            try {
                time = OffsetDateTime.parse(new String(line, 0, s1, StandardCharsets.US_ASCII), TIME).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
            byte[] text = s3 < 0 ? new byte[0] : Arrays.copyOfRange(line, s3 + 1, end);
            return new Record(time, logStream, tag.equals("F"), text);
        }

        private static int indexOf(byte[] line, int from, int end) {
            for (int i = from; i < end; i++) {
                if (line[i] == ' ') {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Turns records into entries: joins partials per stream, filters, and keeps the last {@code tail} of the first read. */
    private static final class Parser {
        private final LogQuery query;
        private final Sink sink;
        private final Map<LogStream, ByteArrayOutputStream> partial = new EnumMap<>(LogStream.class);
        private final Map<LogStream, Instant> partialTime = new EnumMap<>(LogStream.class);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private Deque<LogEntry> tail;
        private long position;
        private boolean stopped;

        Parser(LogQuery query, Sink sink) {
            this.query = query;
            this.sink = sink;
            this.tail = query.tail() > 0 ? new ArrayDeque<>() : null;
        }

        /** Reads complete lines from {@code position} to the end; false once the sink or {@code until} stopped reading. */
        boolean readAvailable(FileChannel channel) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            while (!stopped) {
                buffer.clear();
                int n = channel.read(buffer, position);
                if (n <= 0) {
                    break;
                }
                position += n;
                consume(buffer.array(), n);
            }
            return !stopped;
        }

        /** Reads a whole stream (a gzipped file). */
        void readStream(InputStream in) throws IOException {
            byte[] buffer = new byte[BLOCK];
            int n;
            while (!stopped && (n = in.read(buffer)) > 0) {
                consume(buffer, n);
            }
        }

        private void consume(byte[] bytes, int n) throws IOException {
            int start = 0;
            for (int i = 0; i < n && !stopped; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, start, i - start);
                    record(line.toByteArray());
                    line.reset();
                    start = i + 1;
                }
            }
            if (!stopped) {
                line.write(bytes, start, n - start); // an incomplete last line waits for the rest
            }
        }

        private void record(byte[] bytes) throws IOException {
            Record record = Record.parse(bytes, bytes.length);
            if (record == null) {
                return;
            }
            ByteArrayOutputStream pending = partial.computeIfAbsent(record.stream(), s -> new ByteArrayOutputStream());
            if (pending.size() == 0) {
                partialTime.put(record.stream(), record.time());
            }
            pending.writeBytes(record.text());
            if (!record.full()) {
                return;
            }
            pending.write('\n');
            emit(new LogEntry(partialTime.get(record.stream()), record.stream(), pending.toByteArray()));
            pending.reset();
        }

        private void emit(LogEntry entry) throws IOException {
            if (!query.selects(entry) || stopped) {
                return;
            }
            if (tail != null) {
                tail.addLast(entry);
                if (tail.size() > query.tail()) {
                    tail.removeFirst();
                }
                return;
            }
            deliver(entry);
        }

        private void deliver(LogEntry entry) throws IOException {
            if (query.pastUntil(entry)) {
                stopped = true;
            } else if (query.inTime(entry) && !sink.accept(entry)) {
                stopped = true;
            }
        }

        /** Hands over the kept tail; later entries go straight to the sink. */
        void releaseTail() throws IOException {
            if (tail == null) {
                return;
            }
            Deque<LogEntry> kept = tail;
            tail = null;
            for (LogEntry entry : kept) {
                if (!stopped) {
                    deliver(entry);
                }
            }
        }

        /** At the end, output that never got its newline is an entry of its own, as Docker shows it. */
        void finish() throws IOException {
            releaseTail();
            for (LogStream stream : LogStream.values()) {
                ByteArrayOutputStream pending = partial.get(stream);
                if (pending != null && pending.size() > 0 && !stopped) {
                    LogEntry entry = new LogEntry(partialTime.get(stream), stream, pending.toByteArray());
                    pending.reset();
                    if (query.selects(entry)) {
                        deliver(entry);
                    }
                }
            }
        }
    }
}
