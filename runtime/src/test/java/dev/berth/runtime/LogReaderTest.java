package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
    @TempDir
    Path dir;

    private static String line(int second, String stream, String tag, String text) {
        return "2024-05-01T10:00:%02d.123456789+00:00 %s %s %s\n".formatted(second, stream, tag, text);
    }

    private static List<String> read(Path file, LogQuery query) throws IOException {
        List<String> result = new ArrayList<>();
        LogReader.read(file, query, e -> result.add(e.stream() + ":" + new String(e.content(), StandardCharsets.UTF_8)));
        return result;
    }

    private static LogQuery tail(int n) {
        return new LogQuery(EnumSet.allOf(LogStream.class), n, Optional.empty(), Optional.empty());
    }

    @Test
    void read_joinsPartialRecordsPerStream() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"),
                line(1, "stdout", "P", "hel") + line(1, "stderr", "F", "warn") + line(2, "stdout", "F", "lo")
                        + line(3, "stdout", "F", "") + "garbage line\n" + line(4, "stderr", "P", "no newline"));

        assertThat(read(log, LogQuery.ALL)).containsExactly("STDERR:warn\n", "STDOUT:hello\n", "STDOUT:\n", "STDERR:no newline");
    }

    @Test
    void read_entryTimeIsTheFirstPartsTime() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "P", "a") + line(5, "stdout", "F", "b"));
        List<LogEntry> entries = new ArrayList<>();
        LogReader.read(log, LogQuery.ALL, entries::add);

        assertThat(entries).singleElement().satisfies(e -> assertThat(e.time()).isEqualTo(Instant.parse("2024-05-01T10:00:01.123456789Z")));
    }

    @Test
    void read_filtersStreamsAndTime() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"),
                line(1, "stdout", "F", "one") + line(2, "stderr", "F", "two") + line(3, "stdout", "F", "three")
                        + line(4, "stdout", "F", "four"));

        assertThat(read(log, new LogQuery(EnumSet.of(LogStream.STDERR), -1, Optional.empty(), Optional.empty())))
                .containsExactly("STDERR:two\n");
        assertThat(read(log, new LogQuery(EnumSet.allOf(LogStream.class), -1,
                Optional.of(Instant.parse("2024-05-01T10:00:02.123456789Z")), Optional.of(Instant.parse("2024-05-01T10:00:03.5Z")))))
                .containsExactly("STDERR:two\n", "STDOUT:three\n");
    }

    @Test
    void tail_returnsTheLastEntriesWithTheirPartialsAcrossBlocks() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append(line(i % 60, "stdout", "F", "line " + i + " " + "x".repeat(40)));
        }
        text.append(line(1, "stderr", "P", "part-")).append(line(1, "stdout", "F", "last out")).append(line(2, "stderr", "F", "end"));
        Path log = Files.writeString(dir.resolve("ctr.log"), text);

        assertThat(read(log, tail(2))).containsExactly("STDOUT:last out\n", "STDERR:part-end\n");
        assertThat(read(log, tail(3))).first().asString().startsWith("STDOUT:line 4999 ");
        assertThat(read(log, new LogQuery(EnumSet.of(LogStream.STDERR), 1, Optional.empty(), Optional.empty())))
                .containsExactly("STDERR:part-end\n");
        assertThat(read(log, tail(0))).isEmpty();
        assertThat(read(log, tail(100000))).hasSize(5002);
    }

    @Test
    void read_missingFileHasNoEntries() throws IOException {
        assertThat(read(dir.resolve("none.log"), LogQuery.ALL)).isEmpty();
    }

    @Test
    void follow_deliversAppendedEntriesUntilInactive() throws Exception {
        LogWatcher watcher = new LogWatcher();
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "before"));
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean active = new AtomicBoolean(true);
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                LogReader.follow(new LogFiles(log), LogQuery.ALL, watcher, active::get,
                        e -> seen.add(new String(e.content(), StandardCharsets.UTF_8)));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waitFor(() -> seen.size() == 1);
        Files.writeString(log, line(2, "stdout", "P", "after-") + line(3, "stdout", "F", "joined"), StandardOpenOption.APPEND);
        waitFor(() -> seen.size() == 2);
        active.set(false);
        follower.join(5000);

        watcher.close();

        assertThat(follower.isAlive()).isFalse();
        assertThat(seen).containsExactly("before\n", "after-joined\n");
    }

    /** What conmon does at its size limit: a new file renamed over the old name. */
    private static void conmonRotates(Path log, String firstContent) throws IOException {
        Path tmp = log.resolveSibling("ctr.log.tmp");
        Files.writeString(tmp, firstContent);
        Files.move(tmp, log, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static LogPolicy rotating(int maxFiles, boolean compress) {
        return new LogPolicy(true, 1000, maxFiles, compress);
    }

    @Test
    void rotation_keepsGenerationsInOrderAndReadsAcrossThem() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "one"));
        LogFiles files = new LogFiles(log);
        files.maintain(rotating(5, false));
        conmonRotates(log, line(2, "stdout", "F", "two"));
        files.maintain(rotating(5, false));
        conmonRotates(log, line(3, "stdout", "F", "three"));
        files.maintain(rotating(5, false));

        assertThat(read(log, LogQuery.ALL)).containsExactly("STDOUT:one\n", "STDOUT:two\n", "STDOUT:three\n");
        assertThat(read(log, tail(2))).containsExactly("STDOUT:two\n", "STDOUT:three\n");
        assertThat(files.generations()).extracting(g -> g.path().getFileName().toString())
                .containsExactly("ctr.log.1", "ctr.log.2", "ctr.log.3");
    }

    @Test
    void rotation_dropsTheOldestBeyondMaxFilesAndCompresses() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "one"));
        LogFiles files = new LogFiles(log);
        for (int i = 2; i <= 4; i++) {
            files.maintain(rotating(3, true));
            conmonRotates(log, line(i, "stdout", "F", "n" + i));
        }
        files.maintain(rotating(3, true));

        assertThat(files.generations()).extracting(g -> g.path().getFileName().toString())
                .containsExactly("ctr.log.2.gz", "ctr.log.3.gz", "ctr.log.4");
        assertThat(read(log, LogQuery.ALL)).containsExactly("STDOUT:n2\n", "STDOUT:n3\n", "STDOUT:n4\n");
        assertThat(read(log, tail(2))).containsExactly("STDOUT:n3\n", "STDOUT:n4\n");
        assertThat(read(log, tail(10))).hasSize(3);
    }

    @Test
    void rotation_aPartialLineSpanningFilesIsJoined() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "P", "hel"));
        LogFiles files = new LogFiles(log);
        files.maintain(rotating(5, false));
        conmonRotates(log, line(2, "stdout", "F", "lo"));

        assertThat(read(log, LogQuery.ALL)).containsExactly("STDOUT:hello\n");
    }

    @Test
    void beforeStart_startsANewFileAndKeepsTheOld() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "first run"));
        LogFiles files = new LogFiles(log);
        files.beforeStart(rotating(5, false));

        assertThat(Files.readSymbolicLink(log)).as("conmon's next file is a new generation").hasToString("ctr.log.2");
        Files.writeString(log, line(2, "stdout", "F", "second run"));
        assertThat(read(log, LogQuery.ALL)).containsExactly("STDOUT:first run\n", "STDOUT:second run\n");
    }

    @Test
    void rotation_conmonWritesThroughTheNextLink_andAPlainFileIsKeptToo() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "one"));
        LogFiles files = new LogFiles(log);
        files.beforeStart(rotating(5, false));
        Files.writeString(log, line(2, "stdout", "F", "two"));
        conmonRotates(log, line(3, "stdout", "F", "three"));
        // a second rotation before the daemon put the next link in place: conmon makes a plain file
        conmonRotates(log, line(4, "stdout", "F", "four"));
        files.maintain(rotating(5, false));
        conmonRotates(log, line(5, "stdout", "F", "five"));
        files.maintain(rotating(5, false));

        assertThat(read(log, LogQuery.ALL)).containsExactly("STDOUT:one\n", "STDOUT:two\n", "STDOUT:three\n",
                "STDOUT:four\n", "STDOUT:five\n");
        assertThat(Files.readSymbolicLink(log.resolveSibling("ctr.log.tmp")).toString()).isEqualTo("ctr.log.6");
    }

    @Test
    void tail_readsOnlyTheEnd_whenAStreamNeverWrote() throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append(line(1, "stdout", "F", "filler " + i));
        }
        big.append(line(2, "stdout", "P", "last ")).append(line(3, "stdout", "F", "one"));
        Path log = Files.writeString(dir.resolve("ctr.log"), big);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(log)) {
            LogReader.TailScan scan = LogReader.tailStart(channel, tail(2), 2);
            assertThat(channel.size() - scan.position()).as("bytes read back").isLessThan(300);
        }
        assertThat(read(log, tail(2))).containsExactly("STDOUT:filler 19999\n", "STDOUT:last one\n");
    }

    @Test
    void tail_keepsAPartialEntryWhoseStartIsBeforeOtherStreamsLines() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "old") + line(2, "stdout", "P", "st")
                + line(3, "stderr", "F", "e1") + line(4, "stderr", "F", "e2") + line(5, "stdout", "F", "art"));

        assertThat(read(log, tail(2))).containsExactly("STDERR:e2\n", "STDOUT:start\n");
        assertThat(read(log, tail(3))).containsExactly("STDERR:e1\n", "STDERR:e2\n", "STDOUT:start\n");
    }

    @Test
    void tail_countsTheFirstLineOfAFile() throws IOException {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "a") + line(2, "stdout", "F", "b"));

        assertThat(read(log, tail(2))).containsExactly("STDOUT:a\n", "STDOUT:b\n");
        assertThat(read(log, tail(1))).containsExactly("STDOUT:b\n");
    }

    @Test
    void follow_goesOnInTheNewFileAfterARotation() throws Exception {
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "before"));
        LogFiles files = new LogFiles(log);
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean active = new AtomicBoolean(true);
        try (LogWatcher watcher = new LogWatcher()) {
            watcher.track(files, rotating(5, false));
            Thread follower = Thread.ofVirtual().start(() -> {
                try {
                    LogReader.follow(files, LogQuery.ALL, watcher, active::get,
                            e -> seen.add(new String(e.content(), StandardCharsets.UTF_8)));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(() -> seen.size() == 1);
            Files.writeString(log, line(2, "stdout", "F", "last of old"), StandardOpenOption.APPEND);
            conmonRotates(log, line(3, "stdout", "F", "first of new"));
            waitFor(() -> seen.size() == 3);
            Files.writeString(log, line(4, "stdout", "F", "more"), StandardOpenOption.APPEND);
            waitFor(() -> seen.size() == 4);
            active.set(false);
            follower.join(5000);
            assertThat(follower.isAlive()).isFalse();
        }
        assertThat(seen).containsExactly("before\n", "last of old\n", "first of new\n", "more\n");
        assertThat(files.generations()).hasSize(2);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
