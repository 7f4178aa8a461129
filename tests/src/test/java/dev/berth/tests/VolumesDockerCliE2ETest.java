package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Volumes, mounts, backups with --volumes-from, cp and Berth's volume export/import/clone, through the machine's docker
 * CLI where Docker has the verb. Needs root and the docker CLI.
 */
class VolumesDockerCliE2ETest extends BusyboxDaemonTest {
    @Test
    void dockerCli_volumeVerbs_andRunMounts() throws Exception {
        assertThat(Cli.docker(daemon, "volume", "create", "--label", "team=web", "dvol").assertOk().out()).isEqualTo("dvol");
        assertThat(Cli.docker(daemon, "volume", "ls", "--format", "{{.Driver}} {{.Name}} {{.Labels}}").assertOk().out())
                .isEqualTo("local dvol team=web");
        assertThat(Cli.docker(daemon, "volume", "inspect", "--format", "{{.Mountpoint}} {{.Scope}}", "dvol").assertOk().out())
                .isEqualTo(daemon.dataRoot.resolve("volumes/dvol/_data") + " local");
        assertThat(Cli.docker(daemon, "volume", "ls", "-q", "--filter", "label=team=web").out()).isEqualTo("dvol");
        assertThat(Cli.docker(daemon, "volume", "ls", "-q", "--filter", "name=nomatch").out()).isEmpty();

        Path host = Files.createDirectories(base.resolve("dhost"));
        Cli.docker(daemon, "run", "-d", "--name", "d1", "-v", "dvol:/data", "-v", host + ":/h:ro",
                "--mount", "type=tmpfs,dst=/scratch,tmpfs-size=1m", "--tmpfs", "/t", "busybox", "sh", "-c",
                "echo one > /data/f; sleep 300").assertOk();
        assertThat(Cli.docker(daemon, "inspect", "--format", "{{json .Mounts}}", "d1").assertOk().out())
                .contains("{\"Type\":\"volume\",\"Name\":\"dvol\",\"Source\":\"" + daemon.dataRoot.resolve("volumes/dvol/_data")
                        + "\",\"Destination\":\"/data\",\"Driver\":\"local\",\"Mode\":\"z\",\"RW\":true,\"Propagation\":\"\"}")
                .contains("{\"Type\":\"bind\",\"Source\":\"" + host + "\",\"Destination\":\"/h\",\"Mode\":\"ro\",\"RW\":false,"
                        + "\"Propagation\":\"rprivate\"}");
        assertThat(Cli.docker(daemon, "inspect", "--format", "{{.HostConfig.Binds}} {{.HostConfig.Tmpfs}}", "d1").out())
                .contains("dvol:/data", host + ":/h:ro").endsWith("] map[/t:]");
        assertThat(Cli.docker(daemon, "ps", "--format", "{{.Mounts}}").out()).contains("dvol");
        assertThat(Cli.docker(daemon, "ps", "-q", "--filter", "volume=dvol").out()).isNotEmpty();
        assertThat(Cli.docker(daemon, "ps", "-q", "--filter", "volume=/h").out()).isNotEmpty();
        assertThat(Cli.docker(daemon, "ps", "-q", "--filter", "volume=other").out()).isEmpty();
        Cli.Result inUse = Cli.docker(daemon, "volume", "rm", "dvol");
        assertThat(inUse.exitCode()).isEqualTo(1);
        assertThat(inUse.stderr()).contains("remove dvol: volume is in use - [");

        // the seeds' backup: a second container takes d1's volumes and tars them into a bind mount
        Path backup = Files.createDirectories(base.resolve("backup"));
        for (int i = 0; i < 50 && !Files.exists(daemon.dataRoot.resolve("volumes/dvol/_data/f")); i++) {
            Thread.sleep(100);
        }
        Cli.docker(daemon, "run", "--rm", "--volumes-from", "d1", "-v", backup + ":/backup", "busybox",
                "tar", "cvf", "/backup/b.tar", "/data").assertOk();
        assertThat(Cli.run(new ProcessBuilder("tar", "tf", backup.resolve("b.tar").toString()), null).stdout())
                .contains("data/f");
        Cli.Result ro = Cli.docker(daemon, "run", "--rm", "--volumes-from", "d1:ro", "busybox", "sh", "-c",
                "cat /data/f; touch /data/g");
        assertThat(ro.stdout()).isEqualTo("one\n");
        assertThat(ro.exitCode()).isNotZero();

        // docker cp both ways
        Files.writeString(host.resolve("in.txt"), "in\n");
        Cli.docker(daemon, "cp", host.resolve("in.txt").toString(), "d1:/tmp/in.txt").assertOk();
        assertThat(Cli.docker(daemon, "exec", "d1", "cat", "/tmp/in.txt").assertOk().out()).isEqualTo("in");
        Cli.docker(daemon, "cp", "d1:/data/f", host.resolve("out.txt").toString()).assertOk();
        assertThat(Files.readString(host.resolve("out.txt"))).isEqualTo("one\n");
        Cli.docker(daemon, "cp", "d1:/data", base.resolve("dcopy").toString()).assertOk();
        assertThat(Files.readString(base.resolve("dcopy/f"))).isEqualTo("one\n");

        Cli.docker(daemon, "rm", "-f", "d1").assertOk();
        assertThat(Cli.docker(daemon, "volume", "rm", "dvol").assertOk().out()).isEqualTo("dvol");

        Cli.Result badBind = Cli.docker(daemon, "run", "--rm", "--mount", "type=bind,src=/nonexistent/x,dst=/x", "busybox", "true");
        assertThat(badBind.exitCode()).isEqualTo(125);
        assertThat(badBind.stderr()).contains(
                "invalid mount config for type \"bind\": bind source path does not exist: /nonexistent/x");

        Cli.docker(daemon, "run", "--name", "anon", "-v", "/a", "busybox", "true").assertOk();
        String anon = Cli.docker(daemon, "inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", "anon").out();
        Cli.docker(daemon, "rm", "-v", "anon").assertOk();
        assertThat(Cli.docker(daemon, "volume", "ls", "-q").out()).doesNotContain(anon);
        Cli.docker(daemon, "volume", "create", "named").assertOk();
        assertThat(Cli.docker(daemon, "volume", "prune", "-f").assertOk().out()).isEqualTo("Total reclaimed space: 0B");
        assertThat(Cli.docker(daemon, "volume", "prune", "-af").assertOk().out()).contains("named");
    }

    @Test
    void mountErrors_areDockers() {
        String volumesBefore = Cli.berth(daemon, "volume", "ls", "-q").out();
        String containersBefore = Cli.berth(daemon, "ps", "-aq").out();
        String[][] cases = {
            {"-v", "/only:rw"}, {"invalid volume specification: '/only:rw'"},
            {"-v", "x:/d:bogus"}, {"invalid mode: bogus"},
            {"-v", "a:relative"}, {"invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute"},
            {"-v", "b@d:/d"}, {"includes invalid characters for a local volume name"},
            {"--mount", "type=volume,src=v1"}, {"target is required"},
            {"--mount", "type=bogus,dst=/x"}, {"invalid mount config: mount type unknown: \"bogus\""},
            {"--mount", "type=tmpfs,src=x,dst=/x"}, {"field Source must not be specified"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            Cli.Result r = Cli.berth(daemon, "run", "--rm", cases[i][0], cases[i][1], "busybox", "true");
            assertThat(r.exitCode()).as(String.join(" ", cases[i])).isEqualTo(125);
            assertThat(r.stderr()).as(String.join(" ", cases[i])).contains(cases[i + 1][0]);
        }
        assertThat(Cli.berth(daemon, "volume", "ls", "-q").out()).as("bad input leaves no volume behind")
                .isEqualTo(volumesBefore);
        assertThat(Cli.berth(daemon, "ps", "-aq").out()).isEqualTo(containersBefore);
    }

    @Test
    void volumeOptions_exportImportClone_andDf() throws Exception {
        Cli.berth(daemon, "volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=8m", "tmpvol").assertOk();
        assertThat(Cli.berth(daemon, "volume", "inspect", "--format", "{{.Options}}", "tmpvol").out())
                .isEqualTo("map[device:tmpfs o:size=8m type:tmpfs]");
        assertThat(Cli.berth(daemon, "run", "--rm", "-v", "tmpvol:/m", "busybox", "sh", "-c",
                "df -k /m | tail -1 | awk '{print $2}'").assertOk().out()).isEqualTo("8192");
        Path dir = Files.createDirectories(base.resolve("bindsrc"));
        Cli.berth(daemon, "volume", "create", "-o", "o=bind", "-o", "device=" + dir, "-o", "type=none", "bindvol").assertOk();
        Cli.berth(daemon, "run", "--rm", "-v", "bindvol:/m", "busybox", "sh", "-c", "echo via-volume > /m/f").assertOk();
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("via-volume\n");
        Cli.berth(daemon, "volume", "rm", "tmpvol", "bindvol").assertOk();
        assertThat(dir.resolve("f")).exists();

        Cli.berth(daemon, "run", "--rm", "-v", "src:/s", "busybox", "sh", "-c",
                "mkdir /s/d && echo content > /s/d/f && chown 7:8 /s/d/f").assertOk();
        Path tar = base.resolve("v.tar");
        Cli.berth(daemon, "volume", "export", "-o", tar.toString(), "src").assertOk();
        assertThat(Cli.run(new ProcessBuilder("tar", "tvf", tar.toString()), null).stdout()).contains("7/8", "d/f");
        assertThat(Cli.berth(daemon, "volume", "import", "restored", tar.toString()).assertOk().out()).isEqualTo("restored");
        assertThat(Cli.berth(daemon, "volume", "clone", "src", "copy").assertOk().out()).isEqualTo("copy");
        for (String v : new String[] {"restored", "copy"}) {
            Path f = daemon.dataRoot.resolve("volumes/" + v + "/_data/d/f");
            assertThat(Files.readString(f)).isEqualTo("content\n");
            assertThat(Files.getAttribute(f, "unix:uid")).isEqualTo(7);
        }
        Cli.Result exists = Cli.berth(daemon, "volume", "clone", "src", "copy");
        assertThat(exists.exitCode()).isEqualTo(1);
        Path evil = Files.write(base.resolve("evil.tar"), new EvilTar().file("../../escape-" + ProcessHandle.current().pid(), "x").bytes());
        assertThat(Cli.berth(daemon, "volume", "import", "evil", evil.toString()).exitCode()).isEqualTo(1);

        assertThat(Cli.berth(daemon, "system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Size}}").assertOk().out())
                .contains("Local Volumes " + Cli.berth(daemon, "volume", "ls", "-q").out().lines().count() + " ");
        Cli.berth(daemon, "volume", "prune", "-af").assertOk();
    }
}
