package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountInfoTest {
    @Test
    void unescape_decodesTheKernelsOctalEscapes() {
        assertThat(MountInfo.unescape("/var/lib/my\\040data")).isEqualTo("/var/lib/my data");
        assertThat(MountInfo.unescape("/a\\134b\\011c\\012")).isEqualTo("/a\\b\tc\n");
        assertThat(MountInfo.unescape("/plain\\9")).isEqualTo("/plain\\9");
    }

    @Test
    void isMountPoint_findsProcButNotAPlainDirectory(@TempDir Path dir) throws IOException {
        assertThat(MountInfo.isMountPoint(Path.of("/proc"))).isTrue();
        assertThat(MountInfo.isMountPoint(dir)).isFalse();
        assertThat(MountInfo.isMountPoint(dir.resolve("missing"))).isFalse();
    }
}
