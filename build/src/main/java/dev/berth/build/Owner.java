package dev.berth.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The owner --chown names ("1000", "app:app", "1000:50"), resolved against the image's /etc/passwd and /etc/group. */
record Owner(int uid, int gid) {
    static final Owner ROOT = new Owner(0, 0);

    static Owner parse(String spec, Path rootfs) throws BuildException, IOException {
        if (spec == null || spec.isEmpty()) {
            return ROOT;
        }
        String[] parts = spec.split(":", 2);
        int uid = id(parts[0], rootfs, "etc/passwd", "user");
        int gid = parts.length > 1 ? id(parts[1], rootfs, "etc/group", "group")
                : parts[0].matches("\\d+") ? uid : primaryGroup(parts[0], rootfs);
        return new Owner(uid, gid);
    }

    private static int id(String name, Path rootfs, String file, String what) throws BuildException, IOException {
        if (name.matches("\\d+")) {
            return Integer.parseInt(name);
        }
        for (String[] f : entries(rootfs, file)) {
            if (f[0].equals(name) && f.length > 2) {
                return Integer.parseInt(f[2]);
            }
        }
        throw new BuildException("unable to convert uid/gid chown string to host mapping: can't find uid for " + what
                + " " + name + ": no such " + what + ": " + name);
    }

    private static int primaryGroup(String user, Path rootfs) throws IOException {
        for (String[] f : entries(rootfs, "etc/passwd")) {
            if (f[0].equals(user) && f.length > 3) {
                return Integer.parseInt(f[3]);
            }
        }
        return 0;
    }

    private static List<String[]> entries(Path rootfs, String file) throws IOException {
        Path p = RootPath.resolve(rootfs, file);
        if (!Files.isRegularFile(p)) {
            return List.of();
        }
        return Files.readAllLines(p).stream().filter(l -> !l.startsWith("#")).map(l -> l.split(":")).toList();
    }
}
