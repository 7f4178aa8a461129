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
        Path log = Files.writeString(dir.resolve("ctr.log"), line(1, "stdout", "F", "before"));
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean active = new AtomicBoolean(true);
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                LogReader.follow(log, LogQuery.ALL, active::get, e -> seen.add(new String(e.content(), StandardCharsets.UTF_8)));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waitFor(() -> seen.size() == 1);
        Files.writeString(log, line(2, "stdout", "P", "after-") + line(3, "stdout", "F", "joined"), StandardOpenOption.APPEND);
        waitFor(() -> seen.size() == 2);
        active.set(false);
        follower.join(5000);

        assertThat(follower.isAlive()).isFalse();
        assertThat(seen).containsExactly("before\n", "after-joined\n");
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
