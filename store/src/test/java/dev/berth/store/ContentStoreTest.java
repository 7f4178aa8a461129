package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    @TempDir
    Path root;

    @Test
    void removeIngestLeftovers_keepsFreshPartialBlobsForResumeAndRemovesOldOnesAndScratch() throws Exception {
        ContentStore store = new ContentStore(root);
        Path ingest = root.resolve("ingest");
        Digest fresh = Digest.sha256("fresh".getBytes(StandardCharsets.UTF_8));
        Digest old = Digest.sha256("old".getBytes(StandardCharsets.UTF_8));
        try (ContentStore.Ingest i = store.ingest(fresh)) {
            i.write(new byte[] {'f', 'r'});
        }
        try (ContentStore.Ingest i = store.ingest(old)) {
            i.write(new byte[] {'o'});
        }
        Files.setLastModifiedTime(ingest.resolve(old.hex()), FileTime.from(Instant.now().minus(Duration.ofHours(25))));
        Files.writeString(ingest.resolve("w-123"), "a writer a crash interrupted");
        Files.createDirectories(ingest.resolve("save-1/sub"));
        Files.writeString(ingest.resolve("save-1/sub/layer"), "scratch");

        assertThat(store.removeIngestLeftovers(Duration.ofHours(24))).isEqualTo(3);

        try (var left = Files.list(ingest)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly(fresh.hex());
        }
        try (ContentStore.Ingest i = store.ingest(fresh)) {
            assertThat(i.offset()).isEqualTo(2); // still there to resume from
        }
    }
}
