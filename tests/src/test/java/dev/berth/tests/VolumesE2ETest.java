package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeds' volume scenarios with the berth CLI: named volumes shared by two containers, bind mounts that hide the
 * image's directory, tmpfs that does not survive the container, VOLUME in an image, and the uid experiments. Needs root.
 */
class VolumesE2ETest extends BusyboxDaemonTest {
    private static final String HTML = "/usr/share/nginx/html";

    @BeforeAll
    static void buildSite() {
        // The seeds use nginx; a busybox image with the same html directory (no nginx image offline)
        Path ctx = Contexts.make(base, "site", Map.of("Dockerfile", "FROM busybox\n"
                + "RUN mkdir -p " + HTML + " && echo '<h1>nginx</h1>' > " + HTML + "/index.html"
                + " && echo 50x > " + HTML + "/50x.html && chown -R 101:101 " + HTML + "\n"
                + "RUN echo 'user1:x:1111:1111::/home/user1:/bin/sh' >> /etc/passwd && echo 'user1:x:1111:' >> /etc/group"
                + " && echo 'staff2:x:2222:' >> /etc/group\n"));
        Cli.berth(daemon, "build", "-t", "site", ctx.toString()).assertOk();
        Path vctx = Contexts.make(base, "vsite", Map.of("Dockerfile", "FROM site\nVOLUME [\"" + HTML + "\"]\n"));
        Cli.berth(daemon, "build", "-t", "vsite", vctx.toString()).assertOk();
    }

    @Test
    void namedVolume_sharedByTwoContainers_filledFromTheImage_inspectShowsTheMountpoint() throws Exception {
        assertThat(Cli.berth(daemon, "volume", "create", "mynginx").assertOk().out()).isEqualTo("mynginx");
        assertThat(Cli.berth(daemon, "volume", "ls").assertOk().stdout())
                .isEqualTo("DRIVER    VOLUME NAME\nlocal     mynginx\n");
        String inspect = Cli.berth(daemon, "volume", "inspect", "mynginx").assertOk().stdout();
        Path data = daemon.dataRoot.resolve("volumes/mynginx/_data");
        assertThat(inspect).contains("\"Driver\": \"local\"", "\"Labels\": null", "\"Mountpoint\": \"" + data + "\"",
                "\"Name\": \"mynginx\"", "\"Options\": null", "\"Scope\": \"local\"", "\"CreatedAt\": \"");

        Cli.berth(daemon, "run", "-d", "--name", "c1", "-v", "mynginx:" + HTML, "site", "sleep", "300").assertOk();
        assertThat(Cli.berth(daemon, "exec", "c1", "ls", HTML).assertOk().out()).isEqualTo("50x.html\nindex.html");
        assertThat(Files.readString(data.resolve("index.html"))).isEqualTo("<h1>nginx</h1>\n");
        assertThat(Files.getAttribute(data.resolve("index.html"), "unix:uid")).isEqualTo(101);
        Cli.berth(daemon, "exec", "c1", "sh", "-c", "echo changed > " + HTML + "/new.html").assertOk();
        assertThat(Files.readString(data.resolve("new.html"))).isEqualTo("changed\n");

        // c2 mounts the same volume elsewhere and sees (and makes) the same files
        assertThat(Cli.berth(daemon, "run", "--rm", "-v", "mynginx:/data", "busybox", "sh", "-c",
                "cat /data/new.html; echo from-c2 > /data/c2.txt").assertOk().out()).isEqualTo("changed");
        assertThat(Cli.berth(daemon, "exec", "c1", "cat", HTML + "/c2.txt").assertOk().out()).isEqualTo("from-c2");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.Mounts}}", "c1").assertOk().out())
                .isEqualTo("[{volume mynginx " + data + " " + HTML + " local z true }]");

        String id = Cli.berth(daemon, "inspect", "--format", "{{.Id}}", "c1").out();
        Cli.Result inUse = Cli.berth(daemon, "volume", "rm", "mynginx");
        assertThat(inUse.exitCode()).isEqualTo(1);
        assertThat(inUse.stderr().strip()).isEqualTo("Error response from daemon: remove mynginx: volume is in use - [" + id + "]");
        assertThat(Cli.berth(daemon, "volume", "rm", "-f", "mynginx").exitCode()).isEqualTo(1);

        Cli.berth(daemon, "rm", "-f", "-v", "c1").assertOk();
        assertThat(Files.exists(data.resolve("c2.txt"))).as("removing a container keeps a named volume").isTrue();
        assertThat(Cli.berth(daemon, "volume", "rm", "mynginx").assertOk().out()).isEqualTo("mynginx");
        assertThat(Files.exists(data)).isFalse();
        Cli.Result gone = Cli.berth(daemon, "volume", "inspect", "mynginx");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).contains("Error response from daemon: get mynginx: no such volume");
    }

    @Test
    void bindMount_hidesTheImageDirectory_andInspectPrintsLikeDocker() throws Exception {
        Path host = Files.createDirectories(base.resolve("hostdata"));
        Files.writeString(host.resolve("mine.html"), "host\n");
        Cli.berth(daemon, "run", "-d", "--name", "b1", "--mount", "type=bind,source=" + host + "/,destination=" + HTML + "/",
                "site", "sleep", "300").assertOk();
        assertThat(Cli.berth(daemon, "exec", "b1", "ls", HTML).assertOk().out()).isEqualTo("mine.html");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.Mounts}}", "b1").assertOk().out())
                .isEqualTo("[{bind  " + host + " " + HTML + "   true rprivate}]");
        Cli.berth(daemon, "exec", "b1", "sh", "-c", "echo made > " + HTML + "/made.txt").assertOk();
        assertThat(Files.readString(host.resolve("made.txt"))).isEqualTo("made\n");
        assertThat(Cli.berth(daemon, "volume", "ls", "-q").assertOk().out()).as("binds are no volumes").isEmpty();
        Cli.berth(daemon, "rm", "-f", "b1").assertOk();

        // read-only, and -v creates a missing host directory
        Path missing = base.resolve("created/by/v");
        Cli.Result ro = Cli.berth(daemon, "run", "--rm", "-v", host + ":/d:ro", "-v", missing + ":/m", "busybox", "sh", "-c",
                "touch /d/x; echo rc=$?; touch /m/y");
        assertThat(ro.exitCode()).isZero();
        assertThat(ro.stdout()).contains("rc=1");
        assertThat(Files.exists(missing.resolve("y"))).isTrue();

        Cli.Result noSource = Cli.berth(daemon, "run", "--rm", "--mount", "type=bind,src=/nonexistent/x,dst=/x", "busybox", "true");
        assertThat(noSource.exitCode()).isEqualTo(125);
        assertThat(noSource.stderr()).contains(
                "invalid mount config for type \"bind\": bind source path does not exist: /nonexistent/x");
    }

    @Test
    void tmpfs_contentDoesNotSurviveTheContainer() {
        Cli.berth(daemon, "run", "-d", "--name", "c3", "--mount", "type=tmpfs,destination=" + HTML, "site", "sleep", "300")
                .assertOk();
        assertThat(Cli.berth(daemon, "exec", "c3", "ls", HTML).assertOk().out()).isEmpty();
        Cli.berth(daemon, "exec", "c3", "sh", "-c", "echo toto > " + HTML + "/index.html").assertOk();
        assertThat(Cli.berth(daemon, "exec", "c3", "cat", HTML + "/index.html").assertOk().out()).isEqualTo("toto");
        assertThat(Cli.berth(daemon, "exec", "c3", "sh", "-c", "grep ' " + HTML + " ' /proc/mounts").assertOk().out())
                .startsWith("tmpfs " + HTML + " tmpfs rw,nosuid,nodev,noexec");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.Mounts}}", "c3").assertOk().out())
                .isEqualTo("[{tmpfs   " + HTML + "   true }]");
        Cli.berth(daemon, "rm", "-f", "c3").assertOk();
        Cli.berth(daemon, "run", "-d", "--name", "c3", "--mount", "type=tmpfs,destination=" + HTML, "site", "sleep", "300")
                .assertOk();
        assertThat(Cli.berth(daemon, "exec", "c3", "ls", HTML).assertOk().out()).isEmpty();
        Cli.berth(daemon, "rm", "-f", "c3").assertOk();

        assertThat(Cli.berth(daemon, "run", "--rm", "--tmpfs", "/run:size=1m,exec", "busybox", "sh", "-c",
                "grep ' /run ' /proc/mounts").assertOk().out()).contains("tmpfs /run tmpfs rw,nosuid,nodev", "size=1024k");
    }

    @Test
    void imageVolume_isAnonymous_filledFromTheImage_andRemovedWithRmV() {
        Cli.berth(daemon, "run", "-d", "--name", "v1", "vsite", "sleep", "300").assertOk();
        String name = Cli.berth(daemon, "inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", "v1").assertOk().out();
        assertThat(name).matches("[0-9a-f]{64}");
        assertThat(Cli.berth(daemon, "exec", "v1", "cat", HTML + "/index.html").assertOk().out()).isEqualTo("<h1>nginx</h1>");
        assertThat(Cli.berth(daemon, "volume", "ls", "-q").out()).contains(name);
        assertThat(Cli.berth(daemon, "volume", "ls", "-q", "-f", "dangling=true").out()).doesNotContain(name);
        Cli.berth(daemon, "rm", "-f", "-v", "v1").assertOk();
        assertThat(Cli.berth(daemon, "volume", "ls", "-q").out()).doesNotContain(name);

        // -v /path makes an anonymous volume too; a plain rm keeps it, prune removes it
        Cli.berth(daemon, "run", "--name", "v2", "-v", "/anon", "busybox", "sh", "-c", "echo x > /anon/f").assertOk();
        String anon = Cli.berth(daemon, "inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", "v2").assertOk().out();
        Cli.berth(daemon, "volume", "create", "keepme").assertOk();
        Cli.berth(daemon, "rm", "v2").assertOk();
        assertThat(Cli.berth(daemon, "volume", "ls", "-q", "-f", "dangling=true").out()).contains(anon, "keepme");
        Cli.Result prune = Cli.berth(daemon, "volume", "prune", "-f").assertOk();
        assertThat(prune.stdout()).contains("Deleted Volumes:\n" + anon + "\n", "Total reclaimed space: 2B");
        assertThat(Cli.berth(daemon, "volume", "ls", "-q").out()).isEqualTo("keepme");
        assertThat(Cli.berth(daemon, "volume", "prune", "-f", "-a").assertOk().stdout()).contains("keepme");
        assertThat(Cli.berth(daemon, "volume", "ls", "-q").out()).isEmpty();
    }

    @Test
    void users_filesInABindMount_getTheProcessIds() throws Exception {
        Path myvolume = Files.createDirectories(base.resolve("myvolume"));
        Cli.berth(daemon, "run", "--rm", "-v", myvolume + "/:/data/", "site", "touch", "/data/titi").assertOk();
        assertThat(Files.getAttribute(myvolume.resolve("titi"), "unix:uid")).isEqualTo(0);
        // user1 (in the image's passwd) cannot write a root-owned 755 directory...
        Cli.Result denied = Cli.berth(daemon, "run", "--rm", "-v", myvolume + "/:/data/", "-u", "user1", "site", "touch", "/data/u1");
        assertThat(denied.exitCode()).isNotZero();
        // ...until the host gives it the directory
        Files.setAttribute(myvolume, "unix:uid", 1111);
        Cli.berth(daemon, "run", "--rm", "-v", myvolume + "/:/data/", "-u", "user1", "site", "touch", "/data/u1").assertOk();
        assertThat(Files.getAttribute(myvolume.resolve("u1"), "unix:uid")).isEqualTo(1111);
        assertThat(Files.getAttribute(myvolume.resolve("u1"), "unix:gid")).isEqualTo(1111);
        // a uid with no passwd entry works, its files keep the number
        Files.setPosixFilePermissions(myvolume, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(Cli.berth(daemon, "run", "--rm", "-v", myvolume + ":/data", "-u", "1113", "--group-add", "staff2",
                "--group-add", "3333", "site", "sh", "-c", "touch /data/u3; id").assertOk().out())
                .isEqualTo("uid=1113 gid=0(root) groups=2222(staff2),3333");
        assertThat(Files.getAttribute(myvolume.resolve("u3"), "unix:uid")).isEqualTo(1113);
    }

    @Test
    void volumes_surviveADaemonCrash_andOptionVolumesAreMountedOnce() throws Exception {
        Cli.berth(daemon, "run", "--rm", "-v", "persist:/p", "busybox", "sh", "-c", "echo kept > /p/f").assertOk();
        Cli.berth(daemon, "volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "tmpv").assertOk();
        Cli.berth(daemon, "run", "-d", "--name", "tv", "-v", "tmpv:/t", "busybox", "sh", "-c",
                "echo in-tmpfs > /t/f; sleep 300").assertOk();
        daemon.kill9();
        daemon.start();
        assertThat(Cli.berth(daemon, "volume", "ls", "-q").out()).contains("persist", "tmpv");
        assertThat(Cli.berth(daemon, "run", "--rm", "-v", "persist:/p", "busybox", "cat", "/p/f").assertOk().out())
                .isEqualTo("kept");
        for (int i = 0; i < 50 && Cli.berth(daemon, "exec", "tv", "cat", "/t/f").exitCode() != 0; i++) {
            Thread.sleep(100);
        }
        assertThat(Cli.berth(daemon, "run", "--rm", "-v", "tmpv:/t", "busybox", "cat", "/t/f").assertOk().out())
                .isEqualTo("in-tmpfs");
        String data = daemon.dataRoot.resolve("volumes/tmpv/_data").toString();
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.split(" ")[4].equals(data)))
                .hasSize(1);
        Cli.berth(daemon, "rm", "-f", "tv").assertOk();
        Cli.berth(daemon, "volume", "rm", "persist", "tmpv").assertOk();
        assertThat(Path.of(data)).doesNotExist();
    }

    @Test
    void imageVolume_boundToAHostDirectory_servesTheHostsPage() throws Exception {
        // seed 004: VOLUME ["/usr/share/nginx/html"] in the image, the page from ~/site_web bound over it
        Path site = Files.createDirectories(base.resolve("site_web"));
        Files.writeString(site.resolve("index.html"), "<h1>Bienvenue</h1>\n");
        Cli.berth(daemon, "run", "-d", "--name", "web", "-v", site + ":" + HTML, "vsite", "httpd", "-f", "-p", "80", "-h", HTML)
                .assertOk();
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{range .Mounts}}{{.Type}} {{end}}", "web").out())
                .as("the bind replaces the image's volume: no anonymous volume").isEqualTo("bind");
        String page = "";
        for (int i = 0; i < 50 && !page.contains("Bienvenue"); i++) {
            page = Cli.berth(daemon, "exec", "web", "wget", "-qO-", "http://127.0.0.1:80/").stdout();
            Thread.sleep(100);
        }
        assertThat(page).isEqualTo("<h1>Bienvenue</h1>\n");
        Files.writeString(site.resolve("index.html"), "<h1>changed on the host</h1>\n");
        assertThat(Cli.berth(daemon, "exec", "web", "wget", "-qO-", "http://127.0.0.1:80/").assertOk().stdout())
                .isEqualTo("<h1>changed on the host</h1>\n");
        Cli.berth(daemon, "rm", "-f", "-v", "web").assertOk();
        assertThat(site.resolve("index.html")).as("rm -v never touches a bind source").exists();
    }
}
