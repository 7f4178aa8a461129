package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {
    @Test
    void detect_tellsTheLayoutsApart(@TempDir Path unified, @TempDir Path hybrid, @TempDir Path legacy) throws Exception {
        Files.writeString(unified.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.createDirectories(hybrid.resolve("unified"));
        Files.writeString(hybrid.resolve("unified/cgroup.controllers"), "hugetlb\n");
        Files.createDirectories(legacy.resolve("memory"));

        assertThat(CgroupLayout.detect(unified)).isEqualTo(CgroupLayout.UNIFIED);
        assertThat(CgroupLayout.detect(hybrid)).isEqualTo(CgroupLayout.HYBRID);
        assertThat(CgroupLayout.detect(legacy)).isEqualTo(CgroupLayout.LEGACY);
    }

    @Test
    void crunProblem_onlyForHybridWithV2Controllers(@TempDir Path hybrid, @TempDir Path emptyHybrid, @TempDir Path unified)
            throws Exception {
        Files.createDirectories(hybrid.resolve("unified"));
        Files.writeString(hybrid.resolve("unified/cgroup.controllers"), "hugetlb\n");
        Files.createDirectories(emptyHybrid.resolve("unified"));
        Files.writeString(emptyHybrid.resolve("unified/cgroup.controllers"), "\n");
        Files.writeString(unified.resolve("cgroup.controllers"), "cpu\n");

        assertThat(CgroupLayout.crunProblem(hybrid)).hasValueSatisfying(m -> assertThat(m).contains("[hugetlb]").endsWith("use runc"));
        assertThat(CgroupLayout.crunProblem(emptyHybrid)).isEmpty();
        assertThat(CgroupLayout.crunProblem(unified)).isEmpty();
    }
}
