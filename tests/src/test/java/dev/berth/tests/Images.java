package dev.berth.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test images made offline: busybox from Debian's busybox-static, cached outside the repository. */
final class Images {
    static final Path CACHE = Path.of("/var/cache/berth-tests");

    private Images() {}

    /** The busybox root filesystem tar (contrib/busybox-rootfs.sh), built once per machine. */
    static Path busyboxTar() throws IOException, InterruptedException {
        return cached("busybox-rootfs.tar", "contrib/busybox-rootfs.sh", 60);
    }

    /**
     * A Debian 12 minbase root filesystem tar (contrib/debian-rootfs.sh, debootstrap from Debian's mirror), built once
     * per machine: for tests that need a full distribution (apt-get, a shell with coreutils, about 120 MB).
     */
    static Path debianTar() throws IOException, InterruptedException {
        return cached("debian-rootfs.tar", "contrib/debian-rootfs.sh", 600);
    }

    private static synchronized Path cached(String name, String script, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path tar = CACHE.resolve(name);
        if (!Files.exists(tar)) {
            Files.createDirectories(CACHE);
            Path path = Path.of(System.getProperty("user.dir")).getParent().resolve(script);
            Process p = new ProcessBuilder("bash", path.toString(), tar.toString()).inheritIO().start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("could not build " + tar + " with " + path);
            }
        }
        return tar;
    }
}
