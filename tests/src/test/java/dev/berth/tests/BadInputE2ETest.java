package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Bad input gets Docker's answer and exit code, and leaves nothing behind. Real daemon, real containers; needs root. */
class BadInputE2ETest extends BusyboxDaemonTest {
    @Test
    void unknownImage_isNotFound() {
        // a registry on loopback that is not there: the pull create tries must fail without leaving the machine
        Cli.Result r = Cli.berth(daemon, "create", "127.0.0.1:1/nosuchimage");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("Unable to find image '127.0.0.1:1/nosuchimage:latest' locally",
                "connect: connection refused");
    }

    @Test
    void unknownContainer_isNotFound() {
        Cli.Result r = Cli.berth(daemon, "inspect", "nosuchcontainer");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("No such object: nosuchcontainer");
        Cli.Result rm = Cli.berth(daemon, "rm", "nosuchcontainer");
        assertThat(rm.exitCode()).isEqualTo(1);
        assertThat(rm.stderr()).contains("Error response from daemon: No such container: nosuchcontainer");
    }

    @Test
    void invalidName_isRefused() {
        Cli.Result r = Cli.berth(daemon, "create", "--name", "bad name!", "busybox", "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThat(Cli.berth(daemon, "ps", "-aq").out()).isEmpty();
    }

    @Test
    void badMemorySize_andUnknownFlag_areRefusedBeforeAnythingIsCreated() {
        Cli.Result m = Cli.berth(daemon, "run", "-m", "1x", "busybox", "true");
        assertThat(m.exitCode()).isEqualTo(125);
        assertThat(m.stderr()).contains("invalid argument \"1x\" for \"-m, --memory\" flag");
        Cli.Result f = Cli.berth(daemon, "run", "--no-such-flag", "busybox", "true");
        assertThat(f.exitCode()).isEqualTo(125);
        assertThat(f.stderr()).contains("unknown flag: --no-such-flag");
        assertThat(Cli.berth(daemon, "ps", "-aq").out()).isEmpty();
    }

    @Test
    void missingCommand_exits127_andNotExecutable_exits126() {
        Cli.Result missing = Cli.berth(daemon, "run", "--rm", "busybox", "/nosuch");
        assertThat(missing.exitCode()).isEqualTo(127);
        Cli.Result notExecutable = Cli.berth(daemon, "run", "--rm", "busybox", "/etc/passwd");
        assertThat(notExecutable.exitCode()).isEqualTo(126);
        assertThat(Cli.berth(daemon, "ps", "-aq").out()).isEmpty();
    }

    @Test
    void removingARunningContainer_needsForce_andAnImageInUse_cannotBeRemoved() {
        Cli.berth(daemon, "run", "-d", "--name", "busy", "busybox", "sleep", "300").assertOk();
        Cli.Result rm = Cli.berth(daemon, "rm", "busy");
        assertThat(rm.exitCode()).isEqualTo(1);
        assertThat(rm.stderr()).contains("container is running: stop the container before removing or force remove");
        Cli.Result rmi = Cli.berth(daemon, "rmi", "busybox");
        assertThat(rmi.exitCode()).isEqualTo(1);
        assertThat(rmi.stderr()).contains("conflict: unable to remove repository reference \"busybox\" (must force)");
        Cli.berth(daemon, "rm", "-f", "busy").assertOk();
        assertThat(Cli.berth(daemon, "ps", "-aq").out()).isEmpty();
    }

    @Test
    void maliciousImports_areRejected_withNothingWrittenOutsideTheLayerAndNoImageLeft() throws Exception {
        Path outside = base.resolve("outside");
        Files.createDirectories(outside);
        String before = Cli.berth(daemon, "images", "-q").out();
        byte[][] tars = {
            new EvilTar().file("../../../../../../" + outside.resolve("dotdot").toString().substring(1), "x").bytes(),
            new EvilTar().file(outside.resolve("absolute").toString(), "x").bytes(),
            new EvilTar().symlink("link", "../../../../../../../../" + outside.toString().substring(1))
                    .file("link/through-symlink", "x").bytes(),
            new EvilTar().symlink("abs", outside.toString()).file("abs/through-absolute-symlink", "x").bytes(),
            new EvilTar().hardlink("hard", "../../../../../../../etc/passwd").bytes(),
        };
        for (int i = 0; i < tars.length; i++) {
            Path tar = base.resolve("evil" + i + ".tar");
            Files.write(tar, tars[i]);
            Cli.Result r = Cli.berth(daemon, "import", tar.toString(), "evil:" + i);
            assertThat(r.exitCode()).as("tar %d: %s", i, r.stderr()).isNotZero();
            assertThat(r.stderr()).as("tar %d", i).contains("Error response from daemon:");
        }
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left.toList()).isEmpty();
        }
        assertThat(Cli.berth(daemon, "images", "-q").out()).isEqualTo(before);
        assertThat(leftoversIn(daemon.dataRoot.resolve("layers"))).isEmpty();
    }

    /** Anything in the layer store that is not a finished layer: a temporary directory of an interrupted import. */
    private static java.util.List<String> leftoversIn(Path layers) throws IOException {
        try (Stream<Path> entries = Files.list(layers)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("l") && !n.matches("[0-9a-f]{64}"))
                    .toList();
        }
    }
}
