package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seeds' Debian Dockerfiles (users made with useradd, apt-get in one merged RUN) on the offline Debian 12 image
 * imported as debian:bookworm. RUN reaches Debian's package mirror through the host's network. Needs root.
 */
class DebianBuildE2ETest extends BusyboxDaemonTest {
    @Test
    void useraddAndAptGet_inRunSteps_andCopyChownByName() throws Exception {
        Cli.berth(daemon, "import", Images.debianTar().toString(), "debian:bookworm").assertOk();
        Path ctx = Contexts.make(base, "debian", Map.of("notes.txt", "notes\n", "Dockerfile", String.join("\n",
                "FROM debian:bookworm",
                "RUN useradd -u 1111 user1 && useradd -u 1113 user3",
                "RUN apt-get update -qq && apt-get install -qq -y --no-install-recommends wget >/dev/null"
                        + " && apt-get clean && rm -rf /var/lib/apt/lists/*",
                "COPY --chown=user1:user1 --chmod=640 notes.txt /home/notes.txt",
                "USER user1",
                "CMD [\"id\"]", "")));
        Cli.Result r = Cli.berth(daemon, "build", "-t", "myimage:v1.0", ctx.toString()).assertOk();
        assertThat(r.stdout()).contains("Step 6/6 : CMD [\"id\"]", "Successfully tagged myimage:v1.0");
        assertThat(Cli.berth(daemon, "run", "--rm", "myimage:v1.0").assertOk().out())
                .isEqualTo("uid=1111(user1) gid=1111(user1) groups=1111(user1)");
        assertThat(Cli.berth(daemon, "run", "--rm", "myimage:v1.0", "sh", "-c",
                "wget --version | head -1; stat -c '%U %a' /home/notes.txt; ls /var/lib/apt/lists | wc -l")
                .assertOk().stdout()).startsWith("GNU Wget").endsWith("user1 640\n0\n");
        String history = Cli.berth(daemon, "history", "--format", "{{.CreatedBy}}", "myimage:v1.0").assertOk().stdout();
        assertThat(history).contains("/bin/sh -c apt-get update -qq && apt-get ins…", "/bin/sh -c #(nop)  USER user1");
    }
}
