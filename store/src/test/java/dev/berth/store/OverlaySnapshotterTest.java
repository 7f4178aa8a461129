package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("root")
class OverlaySnapshotterTest {
    @TempDir
    Path tmp;
    LayerStore layers;
    OverlaySnapshotter snapshotter;
    Path container;

    @BeforeEach
    void setUp() throws IOException {
        layers = new LayerStore(tmp.resolve("data"));
        snapshotter = new OverlaySnapshotter(layers);
        container = tmp.resolve("data/containers/c1");
    }

    @AfterEach
    void nothingLeftMounted() throws IOException {
        snapshotter.unmount(container); // a failed test must not leave a mount behind in the temp dir
        assertThat(mountsUnder(tmp)).isEmpty();
    }

    @Test
    void mount_showsTheUpperLayersWhiteoutsAndOpaqueDirs() throws IOException {
        LayerStore.Layer base = layers.apply(new TestTar()
                .dir("etc/").file("etc/passwd", "root").file("etc/group", "wheel")
                .dir("var/").dir("var/cache/").file("var/cache/old", "stale").file("var/cache/older", "staler")
                .stream(), null);
        LayerStore.Layer top = layers.apply(new TestTar()
                .dir("etc/").file("etc/.wh.passwd", "")
                .dir("var/cache/").file("var/cache/.wh..wh..opq", "").file("var/cache/new", "fresh")
                .stream(), base.chainId());
        List<String> chain = List.of(base.chainId(), top.chainId());

        Path merged = snapshotter.mount(chain, container);

        assertThat(merged).isEqualTo(container.resolve("merged"));
        assertThat(snapshotter.isMounted(container)).isTrue();
        assertThat(merged.resolve("etc/passwd")).doesNotExist();
        assertThat(merged.resolve("etc/group")).hasContent("wheel");
        assertThat(list(merged.resolve("var/cache"))).containsExactly("new");
        assertThat(merged.resolve("var/cache/new")).hasContent("fresh");

        assertThat(snapshotter.mount(chain, container)).isEqualTo(merged); // already mounted: not mounted again
        assertThat(mountsUnder(tmp)).hasSize(1);

        Files.writeString(merged.resolve("etc/hostname"), "c1");
        assertThat(container.resolve("upper/etc/hostname")).hasContent("c1");
        assertThat(layers.diffDir(base.chainId()).resolve("etc/hostname")).doesNotExist();

        snapshotter.unmount(container);
        assertThat(snapshotter.isMounted(container)).isFalse();
        assertThat(mountsUnder(tmp)).isEmpty();
        assertThat(list(merged)).isEmpty();
        snapshotter.unmount(container); // not mounted: no error
    }

    @Test
    void upperDir_becomesALayerWithWhiteouts() throws IOException {
        LayerStore.Layer base = layers.apply(new TestTar()
                .file("etc/motd", "hi").file("opt/app/old", "1").file("opt/app/lib", "2").stream(), null);
        Path merged = snapshotter.mount(List.of(base.chainId()), container);
        Files.delete(merged.resolve("etc/motd"));
        Files.delete(merged.resolve("opt/app/old"));
        Files.delete(merged.resolve("opt/app/lib"));
        Files.delete(merged.resolve("opt/app"));
        Files.createDirectory(merged.resolve("opt/app")); // replaces the lower dir: overlay makes it opaque
        Files.writeString(merged.resolve("opt/app/new"), "3");
        snapshotter.unmount(container);

        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        LayerTar.writeDiff(container.resolve("upper"), diff);
        assertThat(TestTar.read(diff.toByteArray())).extracting(TestTar.Read::name)
                .containsExactly("etc/", "etc/.wh.motd", "opt/", "opt/app/", "opt/app/.wh..wh..opq", "opt/app/new");

        // committed as a layer, the change looks the same to the next container
        LayerStore.Layer commit = layers.apply(new ByteArrayInputStream(diff.toByteArray()), base.chainId());
        Path next = tmp.resolve("data/containers/c2");
        try {
            Path view = snapshotter.mount(List.of(base.chainId(), commit.chainId()), next);
            assertThat(view.resolve("etc/motd")).doesNotExist();
            assertThat(list(view.resolve("opt/app"))).containsExactly("new");
        } finally {
            snapshotter.remove(next);
        }
    }

    @Test
    void mount_ofAnImageWithoutLayersUsesAnEmptyLowerDir() throws IOException {
        Path merged = snapshotter.mount(List.of(), container);
        assertThat(list(merged)).isEmpty();
        Files.writeString(merged.resolve("file"), "x");
        assertThat(container.resolve("upper/file")).hasContent("x");
    }

    @Test
    void mount_refusesMissingLayers() {
        String missing = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> snapshotter.mount(List.of(missing), container))
                .hasMessage("cannot mount " + container.resolve("merged") + ": layer " + missing + " does not exist");
    }

    @Test
    void mount_stacksFiftyLayers() throws IOException {
        // the short links keep an image this deep within one page of mount options, even under a temp dir
        List<String> chain = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String parent = chain.isEmpty() ? null : chain.getLast();
            chain.add(layers.apply(new TestTar().file("layer", Integer.toString(i)).file("f" + i, "x").stream(), parent)
                    .chainId());
        }
        Path merged = snapshotter.mount(chain, container);
        assertThat(merged.resolve("layer")).hasContent("49");
        assertThat(merged.resolve("f0")).exists();
        assertThat(list(merged)).hasSize(51);
    }

    @Test
    void mount_refusesOptionsLongerThanAPage() throws IOException {
        // a data root this deep leaves room for only a few lower dirs in one page
        LayerStore deepLayers = new LayerStore(tmp.resolve(("d".repeat(200) + "/").repeat(5)));
        List<String> chain = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String parent = chain.isEmpty() ? null : chain.getLast();
            chain.add(deepLayers.apply(new TestTar().file("f" + i, "x").stream(), parent).chainId());
        }
        Path dir = tmp.resolve("c");
        assertThatThrownBy(() -> new OverlaySnapshotter(deepLayers).mount(chain, dir))
                .hasMessageStartingWith("cannot mount " + dir.resolve("merged") + ": 5 layers need ")
                .hasMessageEndingWith(" bytes of overlay options, more than the 4095 the kernel accepts");
    }

    @Test
    void remove_unmountsAndDeletesTheContainersFilesystem() throws IOException {
        LayerStore.Layer base = layers.apply(new TestTar().file("a", "1").stream(), null);
        Path merged = snapshotter.mount(List.of(base.chainId()), container);
        Files.writeString(merged.resolve("b"), "2");
        snapshotter.remove(container);
        assertThat(snapshotter.isMounted(container)).isFalse();
        assertThat(list(container)).isEmpty();
        assertThat(layers.exists(base.chainId())).isTrue();
    }

    @Test
    void prepare_isIdempotent() throws IOException {
        snapshotter.prepare(container);
        snapshotter.prepare(container);
        assertThat(list(container)).containsExactlyInAnyOrder("upper", "work", "merged");
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
                .map(line -> MountInfo.unescape(line.split(" ")[4]))
                .filter(mountPoint -> mountPoint.startsWith(prefix))
                .toList();
    }
}
