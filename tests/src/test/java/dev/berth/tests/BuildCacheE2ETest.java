package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build cache against a real berthd: hits, content-based misses, --no-cache, and the explanation of a miss. */
class BuildCacheE2ETest extends BusyboxDaemonTest {
    private static final String DOCKERFILE = "FROM busybox\nCOPY a.txt /\nCOPY b.txt /\nARG V=1\nRUN echo $V > /v\n";

    private static int hits(Cli.Result r) {
        return r.stdout().split("Using cache", -1).length - 1;
    }

    @Test
    void unchangedSteps_hit_andAnEditMissesFromItsStepOn() throws Exception {
        Path ctx = Contexts.make(base, "cache", Map.of("a.txt", "aaaa\n", "b.txt", "bbbb\n", "Dockerfile", DOCKERFILE));
        Cli.Result first = Cli.berth(daemon, "build", "-t", "cached:1", ctx.toString()).assertOk();
        assertThat(hits(first)).isZero();
        String id = Cli.berth(daemon, "image", "inspect", "-f", "{{.Id}}", "cached:1").out();

        Cli.Result second = Cli.berth(daemon, "build", "-t", "cached:1", ctx.toString()).assertOk();
        assertThat(hits(second)).isEqualTo(4);
        assertThat(second.stdout()).doesNotContain("Running in");
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{.Id}}", "cached:1").out()).isEqualTo(id);

        // touched, not changed: still a hit
        Files.setLastModifiedTime(ctx.resolve("a.txt"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(hits(Cli.berth(daemon, "build", ctx.toString()).assertOk())).isEqualTo(4);

        // same size, same time, other content: a miss from that step on
        FileTime time = Files.getLastModifiedTime(ctx.resolve("b.txt"));
        Files.writeString(ctx.resolve("b.txt"), "bbbc\n");
        Files.setLastModifiedTime(ctx.resolve("b.txt"), time);
        Cli.Result edited = Cli.berth(daemon, "build", "--progress", "plain", "-t", "cached:2", ctx.toString()).assertOk();
        assertThat(hits(edited)).isEqualTo(1);
        assertThat(edited.stdout()).contains(" ---> Cache miss: no earlier build with these source files",
                " ---> Cache miss: an earlier step changed", "Running in");
        assertThat(Cli.berth(daemon, "run", "--rm", "cached:2", "cat", "/b.txt").out()).isEqualTo("bbbc");
    }

    @Test
    void buildArgs_areInTheKey_andNoCacheRunsEverything() {
        Path ctx = Contexts.make(base, "args", Map.of("a.txt", "a\n", "b.txt", "b\n", "Dockerfile", DOCKERFILE));
        Cli.berth(daemon, "build", ctx.toString()).assertOk();
        Cli.Result v2 = Cli.berth(daemon, "build", "--build-arg", "V=2", "-t", "args:2", ctx.toString()).assertOk();
        assertThat(hits(v2)).isEqualTo(2); // both COPYs; ARG's value changed
        assertThat(Cli.berth(daemon, "run", "--rm", "args:2", "cat", "/v").out()).isEqualTo("2");
        assertThat(Cli.berth(daemon, "history", "--no-trunc", "--format", "{{.CreatedBy}}", "args:2").stdout())
                .contains("|1 V=2 /bin/sh -c echo $V > /v");
        Cli.Result none = Cli.berth(daemon, "build", "--no-cache", ctx.toString()).assertOk();
        assertThat(hits(none)).isZero();
        assertThat(none.stdout()).contains("Running in");
    }
}
