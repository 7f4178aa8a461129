package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Which cgroup hierarchy the host mounts at /sys/fs/cgroup, told apart by the files there. */
public enum CgroupLayout {
    /** cgroup v2 only: /sys/fs/cgroup is a cgroup2 filesystem. */
    UNIFIED,
    /** v1 controllers, plus a v2 hierarchy at /sys/fs/cgroup/unified (systemd's default before v2 became the default). */
    HYBRID,
    /** v1 controllers only. */
    LEGACY;

    public static CgroupLayout detect() {
        return detect(Path.of("/sys/fs/cgroup"));
    }

    static CgroupLayout detect(Path root) {
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            return UNIFIED;
        }
        return Files.exists(root.resolve("unified/cgroup.controllers")) ? HYBRID : LEGACY;
    }

    /**
     * Why crun cannot run containers on this host, if it cannot: crun 1.x refuses a hybrid layout whose v2 hierarchy has
     * controllers enabled ("cgroups in hybrid mode not supported, drop all controllers from cgroupv2"), which is how these
     * machines are set up; runc handles that layout.
     */
    static Optional<String> crunProblem(Path root) throws IOException {
        if (detect(root) != HYBRID) {
            return Optional.empty();
        }
        List<String> controllers;
        try {
            controllers = List.of(Files.readString(root.resolve("unified/cgroup.controllers")).strip().split("\\s+"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (controllers.equals(List.of(""))) {
            return Optional.empty();
        }
        return Optional.of("the host has hybrid cgroups with controllers " + controllers
                + " in the v2 hierarchy, which crun does not support (\"cgroups in hybrid mode not supported\"); use runc");
    }
}
