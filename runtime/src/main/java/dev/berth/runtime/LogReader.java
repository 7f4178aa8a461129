package dev.berth.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Reads conmon's k8s-file logs: one record per line, {@code <RFC 3339 time with nanoseconds> <stdout|stderr> <F|P>
 * <text>}, where P marks a partial record (conmon flushed output that had no newline yet) to be joined with the following
 * records of the same stream up to the next F.
 *
 * <p>{@code tail} reads the file backwards from its end in blocks, so asking for the last lines of a huge log costs only
 * those lines. Following waits for the file to change through a {@link WatchService} (inotify on Linux), not by polling.
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

    private LogReader() {}

    /** Reads the entries {@code query} selects from the file as it is now; a missing file has none. */
    public static void read(Path file, LogQuery query, Sink sink) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Parser parser = new Parser(query, sink);
            parser.position = tailStart(channel, query);
            parser.readAvailable(channel);
            parser.finish();
        } catch (NoSuchFileException e) {
            // a container that never wrote anything may have no log file yet
        }
    }

    /**
     * Reads like {@link #read}, then goes on with entries appended to the file for as long as {@code active} says so
     * (typically: the container is running and the client is connected); then reads what is left and returns.
     */
    public static void follow(Path file, LogQuery query, BooleanSupplier active, Sink sink) throws IOException, InterruptedException {
        Path dir = file.toAbsolutePath().getParent();
        try (WatchService watch = dir.getFileSystem().newWatchService()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            Parser parser = new Parser(query, sink);
            boolean first = true;
            while (true) {
                boolean stillActive = active.getAsBoolean();
                if (Files.exists(file)) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        if (first) {
                            parser.position = tailStart(channel, query);
                            first = false;
                        } else if (channel.size() < parser.position) {
                            parser.position = 0; // the file was truncated: start over
                        }
                        if (!parser.readAvailable(channel)) {
                            return;
                        }
                        parser.releaseTail();
                    }
                }
                if (!stillActive || parser.stopped) {
                    parser.finish();
                    return;
                }
                WatchKey key = watch.poll(FOLLOW_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    /**
     * Where to start so that the last {@code tail} selected entries are complete: walk back over records until that many F
     * records of the selected streams are behind us, then on until one more F record of each selected stream is found, so
     * no partial record of a wanted entry lies before the start. The parser then keeps only the last {@code tail}.
     */
    static long tailStart(FileChannel channel, LogQuery query) throws IOException {
        long size = channel.size();
        if (query.tail() < 0 || size == 0) {
            return 0;
        }
        if (query.tail() == 0) {
            return size;
        }
        int counted = 0;
        Set<LogStream> missing = null;
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        long searchEnd = size - 1; // the last byte ends the last line; line starts follow earlier newlines
        while (searchEnd > 0) {
            long blockStart = Math.max(0, searchEnd - BLOCK);
            block.clear().limit((int) (searchEnd - blockStart));
            readFully(channel, block, blockStart);
            for (int i = block.limit() - 1; i >= 0; i--) {
                if (block.get(i) != '\n') {
                    continue;
                }
                long lineStart = blockStart + i + 1;
                Header header = header(channel, lineStart);
                if (header == null || !header.full() || !query.streams().contains(header.stream())) {
                    continue;
                }
                if (missing == null) {
                    if (++counted == query.tail()) {
                        missing = EnumSet.copyOf(query.streams());
                    }
                } else if (missing.remove(header.stream()) && missing.isEmpty()) {
                    return lineStart;
                }
            }
            searchEnd = blockStart;
        }
        return 0;
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
                byte[] bytes = buffer.array();
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
            return !stopped;
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
