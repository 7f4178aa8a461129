package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** system df, container sizes, and the prunes, through berth and the docker CLI. Needs root. */
class SystemDfPruneE2ETest extends BusyboxDaemonTest {
    /** Counts depend on what exists: each test starts with no container and only the busybox image. */
    @AfterEach
    void removeWhatTheTestLeft() throws Exception {
        List<String> ids = Cli.berth(daemon, "ps", "-aq").stdout().lines().toList();
        if (!ids.isEmpty()) {
            List<String> rm = new java.util.ArrayList<>(List.of("rm", "-f"));
            rm.addAll(ids);
            Cli.berth(daemon, rm.toArray(String[]::new)).assertOk();
        }
        Cli.berth(daemon, "image", "prune", "-a", "-f", "--filter", "label!=nosuchlabel").assertOk();
        Cli.berth(daemon, "import", Images.busyboxTar().toString(), "busybox:latest").assertOk();
    }

    private static String summaryLine(String output, String type) {
        return output.lines().filter(l -> l.startsWith(type + " ")).findFirst().orElseThrow();
    }

    @Test
    void df_countsImagesAndContainers_andPsShowsSizes() {
        Cli.berth(daemon, "run", "--name", "writer", "busybox", "dd", "if=/dev/zero", "of=/blob", "bs=1000", "count=300")
                .assertOk();
        Cli.berth(daemon, "run", "-d", "--name", "idle", "busybox", "sleep", "300").assertOk();

        for (Cli.Result df : List.of(Cli.berth(daemon, "system", "df"), Cli.docker(daemon, "system", "df"))) {
            String out = df.assertOk().stdout();
            assertThat(out.lines().findFirst().orElseThrow().split(" +"))
                    .containsExactly("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
            assertThat(summaryLine(out, "Containers").split(" {2,}"))
                    .containsExactly("Containers", "2", "1", "300kB", "300kB (100%)");
            assertThat(summaryLine(out, "Images")).matches("Images +1 +1 +[0-9.]+MB +0B \\(0%\\)");
            assertThat(summaryLine(out, "Local Volumes").split(" {2,}")).containsExactly("Local Volumes", "0", "0", "0B", "0B");
            assertThat(summaryLine(out, "Build Cache").split(" {2,}")).containsExactly("Build Cache", "0", "0", "0B", "0B");
        }
        String verbose = Cli.docker(daemon, "system", "df", "-v").assertOk().stdout();
        assertThat(verbose).contains("Images space usage:", "Containers space usage:", "Local Volumes space usage:",
                "Build cache usage: 0B");
        assertThat(verbose.lines().filter(l -> l.endsWith(" writer"))).singleElement().asString().contains(" 300kB ");
        // the same tables, but for the times that moved on between the two calls (and the padding they change)
        String relative = "(\\d+|About an?|Less than a) (seconds?|minutes?|hours?)( ago)?";
        assertThat(Cli.berth(daemon, "system", "df", "-v").assertOk().stdout().replaceAll(relative, "T").replaceAll(" +", " "))
                .isEqualTo(verbose.replaceAll(relative, "T").replaceAll(" +", " "));
        assertThat(Cli.berth(daemon, "system", "df", "--format", "{{.Type}}={{.TotalCount}}").assertOk().stdout())
                .isEqualTo("Images=1\nContainers=2\nLocal Volumes=0\nBuild Cache=0\n");

        String ps = Cli.docker(daemon, "ps", "-a", "-s", "--filter", "name=writer", "--format", "{{.Size}}").assertOk().out();
        assertThat(ps).matches("300kB \\(virtual [0-9.]+MB\\)");
        assertThat(Cli.berth(daemon, "ps", "-a", "-s", "--filter", "name=writer", "--format", "{{.Size}}").assertOk().out())
                .isEqualTo(ps);
        assertThat(Cli.docker(daemon, "inspect", "-s", "-f", "{{.SizeRw}}", "writer").assertOk().out()).isEqualTo("300000");
    }

    @Test
    void systemPrune_removesStoppedContainersAndDanglingImages_andReportsTheSpace() throws Exception {
        Cli.berth(daemon, "run", "--name", "done1", "busybox", "dd", "if=/dev/zero", "of=/blob", "bs=1000", "count=50")
                .assertOk();
        Cli.berth(daemon, "run", "-d", "--name", "keeper", "busybox", "sleep", "300").assertOk();
        String dangling = Cli.berth(daemon, "import", Images.busyboxTar().toString()).assertOk().out();

        Cli.Result cancelled = Cli.berthWithInput(daemon, "n\n".getBytes(), "system", "prune");
        assertThat(cancelled.stdout()).isEqualTo("WARNING! This will remove:\n  - all stopped containers\n"
                + "  - all networks not used by at least one container\n  - all dangling images\n  - unused build cache\n\n"
                + "Are you sure you want to continue? [y/N] ");
        assertThat(Cli.berth(daemon, "ps", "-aq").stdout().lines()).hasSize(2);

        Cli.Result pruned = Cli.docker(daemon, "system", "prune", "-f");
        String id = Cli.berth(daemon, "inspect", "-f", "{{.Id}}", "keeper").assertOk().out();
        assertThat(pruned.assertOk().stdout()).contains("Deleted Containers:\n", "Deleted Images:\ndeleted: " + dangling)
                .doesNotContain(id);
        // the writable layer (50 kB) and the container's log (dd's report) went
        assertThat(pruned.stdout()).containsPattern("Total reclaimed space: 50\\.\\d+kB\n$");
        assertThat(Cli.berth(daemon, "ps", "-aq", "--no-trunc").stdout().strip()).isEqualTo(id);
        assertThat(Cli.berth(daemon, "images", "-q").stdout().lines()).hasSize(1);

        // the image a running container uses survives even -a
        assertThat(Cli.berth(daemon, "system", "prune", "-a", "-f").assertOk().stdout()).isEqualTo("Total reclaimed space: 0B\n");
        assertThat(Cli.berth(daemon, "images", "-q").stdout().lines()).hasSize(1);
    }

    @Test
    void imagePrune_danglingThenAll_withFilters() throws Exception {
        Cli.berth(daemon, "import", Images.busyboxTar().toString(), "spare:v1").assertOk();
        String dangling = Cli.berth(daemon, "import", "--change", "LABEL keep=yes", Images.busyboxTar().toString()).assertOk().out();

        Cli.Result labelled = Cli.docker(daemon, "image", "prune", "-f", "--filter", "label=keep=no");
        assertThat(labelled.assertOk().stdout()).isEqualTo("Total reclaimed space: 0B\n");
        assertThat(Cli.berth(daemon, "image", "prune", "-f").assertOk().stdout())
                .isEqualTo("Deleted Images:\ndeleted: " + dangling + "\n\nTotal reclaimed space: 0B\n");

        Cli.berth(daemon, "create", "--name", "holder", "busybox", "true").assertOk();
        Cli.Result all = Cli.docker(daemon, "image", "prune", "-a", "-f", "--filter", "until=1h");
        assertThat(all.assertOk().stdout()).isEqualTo("Total reclaimed space: 0B\n"); // created just now: not before 1 h ago
        Cli.Result now = Cli.docker(daemon, "image", "prune", "-a", "-f");
        assertThat(now.assertOk().stdout()).startsWith("Deleted Images:\nuntagged: spare:v1\ndeleted: sha256:");
        assertThat(Cli.berth(daemon, "images", "--format", "{{.Repository}}").assertOk().out()).isEqualTo("busybox");

        Cli.Result bad = Cli.docker(daemon, "image", "prune", "-f", "--filter", "colour=red");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("Error response from daemon: invalid filter 'colour'");
    }

    @Test
    void containerPrune_untilKeepsRecentContainers() {
        Cli.berth(daemon, "create", "--name", "recent", "busybox", "true").assertOk();
        assertThat(Cli.docker(daemon, "container", "prune", "-f", "--filter", "until=1h").assertOk().stdout())
                .isEqualTo("Total reclaimed space: 0B\n");
        assertThat(Cli.berth(daemon, "container", "prune", "-f", "--filter", "until=0s").assertOk().stdout())
                .startsWith("Deleted Containers:\n");
        assertThat(Cli.berth(daemon, "ps", "-aq").stdout()).isEmpty();
    }
}
