package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextArchiveTest {
    @TempDir
    Path dir;

    @Test
    void aContextEndingRightAfterItsLastFile_isComplete_asTheDockerCliSendsIt() throws Exception {
        byte[] tar = BuilderTest.tar(Map.of("Dockerfile", "FROM busybox\n"));
        int end = 512 + "FROM busybox\n".length(); // header + content, no padding, no end-of-archive records
        ContextArchive.unpack(new ByteArrayInputStream(Arrays.copyOf(tar, end)), dir);
        assertThat(Files.readString(dir.resolve("Dockerfile"))).isEqualTo("FROM busybox\n");
    }

    @Test
    void aFileCutShort_isAnError() throws Exception {
        byte[] tar = BuilderTest.tar(Map.of("Dockerfile", "FROM busybox\n"));
        assertThatThrownBy(() -> ContextArchive.unpack(new ByteArrayInputStream(Arrays.copyOf(tar, 520)), dir))
                .hasMessageStartingWith("failed to read the build context");
    }

    @Test
    void entriesOutsideTheContext_areRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            byte[] content = "x".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("../escape");
            e.setSize(content.length);
            t.putArchiveEntry(e);
            t.write(content);
            t.closeArchiveEntry();
        }
        assertThatThrownBy(() -> ContextArchive.unpack(new ByteArrayInputStream(bytes.toByteArray()), dir.resolve("c")))
                .hasMessageContaining("is outside the context");
        assertThat(dir.resolveSibling("escape")).doesNotExist();
    }
}
