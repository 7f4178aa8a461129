package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code commit}, {@code diff} and {@code history} through berth and the docker CLI against a real berthd. */
class CommitDiffHistoryE2ETest extends BusyboxDaemonTest {
    @Test
    void diff_listsAddedChangedAndDeletedPaths() {
        Cli.berth(daemon, "run", "--name", "d1", "busybox", "sh", "-c",
                "echo x > /tmp/new; rm /bin/cat; mkdir /data; echo y > /data/f").assertOk();
        assertThat(Cli.berth(daemon, "diff", "d1").assertOk().stdout())
                .isEqualTo("C /bin\nD /bin/cat\nA /data\nA /data/f\nC /tmp\nA /tmp/new\n");
        assertThat(Cli.docker(daemon, "diff", "d1").assertOk().stdout())
                .isEqualTo("C /bin\nD /bin/cat\nA /data\nA /data/f\nC /tmp\nA /tmp/new\n");
        assertThat(Cli.berth(daemon, "diff", "nosuch").stderr()).contains("No such container: nosuch");
    }

    @Test
    void commit_withAuthorMessageAndChanges_makesARunnableImage() {
        Cli.berth(daemon, "run", "--name", "c1", "busybox", "sh", "-c", "echo saved > /saved.txt").assertOk();
        String id = Cli.berth(daemon, "commit", "-a", "Xavki <x@example.com>", "-m", "my commit", "-c",
                "ENV myenv=production", "-c", "CMD [\"cat\", \"/saved.txt\"]", "c1", "committed:v1").assertOk().out();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(Cli.berth(daemon, "run", "--rm", "committed:v1").assertOk().stdout()).isEqualTo("saved\n");
        assertThat(Cli.berth(daemon, "run", "--rm", "committed:v1", "sh", "-c", "echo $myenv").out()).isEqualTo("production");
        assertThat(Cli.berth(daemon, "image", "inspect", "-f", "{{.Author}}|{{.Comment}}", "committed:v1").out())
                .isEqualTo("Xavki <x@example.com>|my commit");
        String history = Cli.berth(daemon, "history", "committed:v1").assertOk().stdout();
        assertThat(history.lines().toList()).hasSize(3);
        // the CREATED column is as wide as its longest cell ("3 seconds ago" or "12 seconds ago") plus three spaces
        assertThat(history).containsPattern("^IMAGE {10}CREATED {9,10}CREATED BY")
                .contains(id.substring(7, 19), "my commit", "sh -c echo saved > /saved.txt", "Imported from -");
        Cli.Result bad = Cli.berth(daemon, "commit", "-c", "RUN echo no", "c1", "committed:bad");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("RUN is not a valid change command");
        assertThat(Cli.berth(daemon, "image", "inspect", "committed:bad").exitCode()).isEqualTo(1);
        String viaDocker = Cli.docker(daemon, "commit", "-m", "docker commit", "c1", "dockercommit:1").assertOk().out();
        assertThat(viaDocker).startsWith("sha256:");
        assertThat(Cli.docker(daemon, "run", "--rm", "dockercommit:1", "cat", "/saved.txt").assertOk().out()).isEqualTo("saved");
    }

    @Test
    void history_flags() {
        String full = Cli.berth(daemon, "history", "--no-trunc", "-q", "busybox").assertOk().out();
        assertThat(full).matches("sha256:[0-9a-f]{64}");
        String raw = Cli.berth(daemon, "history", "-H=false", "--format", "{{.Size}} {{.CreatedSince}}", "busybox").out();
        assertThat(raw).matches("\\d+ \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)");
        assertThat(Cli.docker(daemon, "history", "--format", "{{.ID}} {{.Comment}}", "busybox").assertOk().out())
                .matches("[0-9a-f]{12} Imported from -");
        assertThat(Cli.berth(daemon, "history", "nosuch").stderr()).contains("No such image: nosuch");
    }
}
