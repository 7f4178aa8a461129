package dev.berth.engine.containers;

import dev.berth.engine.volumes.VolumeService;
import dev.berth.linux.IdMap;
import dev.berth.runtime.ContainerSpec;
import dev.berth.runtime.ScopedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A container's resolved mount points as runtime mounts, after filling new volumes with the image's content. */
final class VolumeMounts {
    private VolumeMounts() {}

    /**
     * The runtime mounts for {@code points}, parents before children (so /a is mounted before /a/b). A volume marked for
     * copy-up that is still empty first receives what the image has at its destination. For a container in user
     * namespace {@code userns} (null: none), a volume still owned by the host's root becomes its root's, as Docker
     * creates volumes for a remapped root.
     */
    static List<ContainerSpec.Mount> prepare(Path rootfs, List<MountSettings.Point> points, IdMap userns)
            throws IOException {
        List<MountSettings.Point> ordered = new ArrayList<>(points);
        ordered.sort(Comparator.comparingInt(p -> depth(p.destination())));
        List<ContainerSpec.Mount> out = new ArrayList<>();
        for (MountSettings.Point p : ordered) {
            switch (p.type()) {
                case "tmpfs" -> out.add(new ContainerSpec.TmpfsMount(p.destination(), p.data()));
                case "volume" -> {
                    Path data = Path.of(p.source());
                    if (userns != null && Files.getAttribute(data, "unix:uid", LinkOption.NOFOLLOW_LINKS).equals(0)
                            && Files.getAttribute(data, "unix:gid", LinkOption.NOFOLLOW_LINKS).equals(0)) {
                        userns.giveToRoot(data);
                    }
                    if (p.copyUp()) {
                        VolumeService.copyUp(data, ScopedPath.resolve(rootfs, p.destination()));
                    }
                    out.add(new ContainerSpec.BindMount(data, p.destination(), !p.rw(), "rprivate"));
                }
                default -> out.add(new ContainerSpec.BindMount(Path.of(p.source()), p.destination(), !p.rw(),
                        p.propagation()));
            }
        }
        return out;
    }

    private static int depth(String path) {
        return (int) path.chars().filter(ch -> ch == '/').count();
    }
}
