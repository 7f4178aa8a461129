package dev.berth.tests;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the end-to-end suites share: one real berthd per test class, on a private data root, with the busybox image
 * imported. Subclasses run their tests against {@link #daemon}; the tests of one class run one after another.
 */
@Tag("e2e")
abstract class BusyboxDaemonTest {
    @TempDir
    static Path base;
    static Daemon daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = new Daemon(base).start();
        Cli.berth(daemon, "import", Images.busyboxTar().toString(), "busybox:latest").assertOk();
    }

    @AfterAll
    static void stopDaemon() {
        daemon.close();
    }
}
