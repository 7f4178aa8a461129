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
    static synchronized Path busyboxTar() throws IOException, InterruptedException {
        Path tar = CACHE.resolve("busybox-rootfs.tar");
        if (!Files.exists(tar)) {
            Files.createDirectories(CACHE);
            Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("contrib/busybox-rootfs.sh");
            Process p = new ProcessBuilder("bash", script.toString(), tar.toString()).inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("could not build " + tar + " with " + script);
            }
        }
        return tar;
    }
}
