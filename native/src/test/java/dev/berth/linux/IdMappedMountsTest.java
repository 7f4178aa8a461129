package dev.berth.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs root, {@code unshare} (util-linux) and a file system that allows idmapped mounts (ext4, xfs, btrfs, tmpfs 6.3+). */
@Tag("root")
class IdMappedMountsTest {
    @TempDir
    Path dir;

    @Test
    void bind_showsFilesWithShiftedOwners_andLeavesTheSourceAsItWas() throws IOException {
        Path source = Files.createDirectories(dir.resolve("source"));
        Path file = Files.writeString(source.resolve("f"), "x");
        Files.setAttribute(file, "unix:uid", 7, LinkOption.NOFOLLOW_LINKS);
        Path view = Files.createDirectories(dir.resolve("view"));
        IdMap map = new IdMap(List.of(new IdMap.Range(0, 200000, 65536)), List.of(new IdMap.Range(0, 300000, 65536)));

        IdMappedMounts.bind(source, view, map);
        try {
            assertThat(Files.getAttribute(view.resolve("f"), "unix:uid")).isEqualTo(200007);
            assertThat(Files.getAttribute(view.resolve("f"), "unix:gid")).isEqualTo(300000);
            assertThat(Files.readString(view.resolve("f"))).isEqualTo("x");
            assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(7);
        } finally {
            Mounts.umount2(view, Mounts.MNT_DETACH);
        }
    }
}
