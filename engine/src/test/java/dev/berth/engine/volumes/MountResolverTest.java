package dev.berth.engine.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.MountSettings.Point;
import dev.berth.engine.events.EventBus;
import dev.berth.store.meta.MetadataStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountResolverTest {
    @TempDir
    Path dir;
    MetadataStore db;
    VolumeService volumes;
    MountResolver resolver;

    @BeforeEach
    void open() throws Exception {
        db = MetadataStore.open(dir.resolve("berth.db"));
        volumes = new VolumeService(DaemonConfig.defaults().withDataRoot(dir), db, Clock.systemUTC(), new EventBus(Clock.systemUTC()));
        resolver = new MountResolver(volumes);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void bindSpecs_followDockersGrammar() {
        List<String> created = new ArrayList<>();
        Point bind = resolver.bind(dir.resolve("h") + "/:/data/:ro,rshared", created);
        assertThat(bind).isEqualTo(new Point("bind", "", dir.resolve("h").toString(), "/data", "", "ro,rshared", false,
                "rshared", false, "", true));
        assertThat(Files.isDirectory(dir.resolve("h"))).as("-v creates the host directory").isTrue();
        Point named = resolver.bind("web:/srv:nocopy", created);
        assertThat(named.type()).isEqualTo("volume");
        assertThat(named.source()).isEqualTo(dir.resolve("volumes/web/_data").toString());
        assertThat(named.copyUp()).isFalse();
        assertThat(resolver.bind("web2:/srv", created).mode()).isEqualTo("z");
        assertThat(created).containsExactly("web", "web2");
        Point anonymous = resolver.bind("/cache", created);
        assertThat(anonymous.name()).matches("[0-9a-f]{64}");
        assertThat(volumes.inspect(anonymous.name()).anonymous()).isTrue();
    }

    @Test
    void badSpecs_areRefusedWithDockersMessages() {
        List<String> created = new ArrayList<>();
        assertThatThrownBy(() -> resolver.bind("/a:rw", created)).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("invalid volume specification: '/a:rw'");
        assertThatThrownBy(() -> resolver.bind("/a:/b:ro,rw", created)).hasMessage("invalid mode: ro,rw");
        assertThatThrownBy(() -> resolver.bind("/a:/b:/c:/d", created)).hasMessage("invalid volume specification: '/a:/b:/c:/d'");
        assertThatThrownBy(() -> resolver.bind("a:/", created))
                .hasMessage("invalid mount config for type \"volume\": invalid specification: destination can't be '/'");
        assertThatThrownBy(() -> resolver.bind("x:/b", created)).hasMessageContaining("volume name is too short");
        assertThat(created).isEmpty();
    }

    @Test
    void copyUp_fillsAnEmptyVolumeOnce_andRedoesAnInterruptedCopy() throws Exception {
        Path image = Files.createDirectories(dir.resolve("image/html"));
        Files.writeString(image.resolve("index.html"), "hi");
        Path data = Files.createDirectories(dir.resolve("v/_data"));
        VolumeService.copyUp(data, image);
        assertThat(Files.readString(data.resolve("index.html"))).isEqualTo("hi");
        Files.writeString(data.resolve("index.html"), "changed");
        VolumeService.copyUp(data, image);
        assertThat(Files.readString(data.resolve("index.html"))).as("a volume with content is left alone").isEqualTo("changed");

        // a crash mid-copy left the marker and part of the content: the copy starts over
        Files.writeString(dir.resolve("v").resolve(VolumeService.COPY_MARKER), "");
        Files.writeString(data.resolve("partial"), "half");
        VolumeService.copyUp(data, image);
        assertThat(Files.readString(data.resolve("index.html"))).isEqualTo("hi");
        assertThat(data.resolve("partial")).doesNotExist();
        assertThat(dir.resolve("v").resolve(VolumeService.COPY_MARKER)).doesNotExist();
    }

    @Test
    void volumeNames_andPrune() {
        volumes.create("keep", "local", Map.of(), Map.of("a", "b"));
        String anon = volumes.create("", "local", Map.of(), Map.of()).name();
        assertThat(volumes.create("keep", "local", Map.of(), Map.of()).labels()).as("create returns the existing one")
                .containsEntry("a", "b");
        assertThatThrownBy(() -> volumes.create("bad/name", "local", Map.of(), Map.of()))
                .hasMessageContaining("includes invalid characters for a local volume name");
        assertThatThrownBy(() -> volumes.create("v2", "nfs-plugin", Map.of(), Map.of()))
                .hasMessage("error looking up volume plugin nfs-plugin: plugin \"nfs-plugin\" not found");
        assertThatThrownBy(() -> volumes.create("v3", "local", Map.of("bogus", "1"), Map.of()))
                .hasMessage("create v3: invalid option key: \"bogus\"");
        assertThat(volumes.prune(false, v -> true).deleted()).containsExactly(anon);
        assertThat(volumes.prune(true, v -> true).deleted()).containsExactly("keep");
        assertThat(volumes.list()).isEmpty();
    }
}
