package dev.berth.store.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStoreTest {
    @TempDir
    Path dir;

    @Test
    void containers_survive_reopen_and_names_stay_unique() throws Exception {
        Path file = dir.resolve("berth.db");
        try (MetadataStore db = MetadataStore.open(file)) {
            db.insertContainer(new MetadataStore.ContainerRow("a1", "web", "sha256:i", "{\"x\":1}"));
            assertThatThrownBy(() -> db.insertContainer(new MetadataStore.ContainerRow("b2", "web", "sha256:i", "{}")))
                    .isInstanceOf(MetadataStore.NameTaken.class)
                    .extracting(e -> ((MetadataStore.NameTaken) e).holderId()).isEqualTo("a1");
        }
        try (MetadataStore db = MetadataStore.open(file)) {
            assertThat(db.containers()).containsExactly(new MetadataStore.ContainerRow("a1", "web", "sha256:i", "{\"x\":1}"));
            db.updateContainer(new MetadataStore.ContainerRow("a1", "web2", "sha256:i", "{}"));
            assertThat(db.containerByName("web")).isEmpty();
            assertThat(db.containerByName("web2")).isPresent();
        }
    }

    @Test
    void layerBlobs_keepAForeignLayersUrls_alsoInADatabaseThatPredatesThem() throws Exception {
        Path file = dir.resolve("berth.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE layer_blobs (diff_id TEXT PRIMARY KEY, digest TEXT NOT NULL,"
                    + " media_type TEXT NOT NULL, size INTEGER NOT NULL)");
            s.execute("INSERT INTO layer_blobs VALUES('sha256:old', 'sha256:b0', 'gz', 1)");
        }
        try (MetadataStore db = MetadataStore.open(file)) {
            db.putLayerBlob(new MetadataStore.LayerBlob("sha256:f", "sha256:b1", "foreign", 5,
                    List.of("https://a.example/l", "http://b.example/l")));
            db.putLayerBlob(new MetadataStore.LayerBlob("sha256:p", "sha256:b2", "gz", 6));
        }
        try (MetadataStore db = MetadataStore.open(file)) {
            assertThat(db.layerBlob("sha256:f").orElseThrow().urls())
                    .containsExactly("https://a.example/l", "http://b.example/l");
            assertThat(db.layerBlob("sha256:p").orElseThrow().urls()).isEmpty();
            assertThat(db.layerBlob("sha256:old").orElseThrow()).isEqualTo(
                    new MetadataStore.LayerBlob("sha256:old", "sha256:b0", "gz", 1));
        }
    }

    @Test
    void tags_follow_images_and_go_with_them() throws Exception {
        try (MetadataStore db = MetadataStore.open(dir.resolve("berth.db"))) {
            db.putImage(new MetadataStore.ImageRow("sha256:1", new byte[] {1}, 10, "t0", null));
            db.putImage(new MetadataStore.ImageRow("sha256:2", new byte[] {2}, 20, "t0", null));
            db.tag("docker.io/library/busybox:latest", "sha256:1", "t1");
            db.tag("docker.io/library/busybox:latest", "sha256:2", "t2");
            assertThat(db.resolveTag("docker.io/library/busybox:latest")).contains("sha256:2");
            assertThat(db.tagsOf("sha256:1")).isEmpty();
            assertThat(db.image("sha256:2").orElseThrow().lastTagTime()).isEqualTo("t2");
            db.deleteImage("sha256:2");
            assertThat(db.resolveTag("docker.io/library/busybox:latest")).isEmpty();
            assertThat(db.images()).extracting(MetadataStore.ImageRow::id).containsExactly("sha256:1");
        }
    }
}
