package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Log drivers, rotation and reading across rotated files, through berth and the docker CLI. Needs root. */
class LogDriverE2ETest extends BusyboxDaemonTest {
    /**
     * A shell loop printing "line 1" .. "line n", 2 ms apart, then sleeping so the container keeps running. The pause
     * keeps conmon from rotating several times within one read of the container's output (microseconds apart), where
     * files could come and go before the daemon sees them.
     */
    private static String[] printLines(int n, String sleepAfter) {
        return new String[] {"sh", "-c",
            "i=1; while [ $i -le " + n + " ]; do echo line $i; i=$((i+1)); usleep 2000; done; " + sleepAfter};
    }

    private static void awaitLogLine(String container, String line) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (Cli.berth(daemon, "logs", "--tail", "1", container).stdout().equals(line + "\n")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(container + " did not log \"" + line + "\" within 15 s");
    }

    private static List<String> logFiles(String container) throws IOException {
        String id = Cli.berth(daemon, "inspect", "-f", "{{.Id}}", container).assertOk().out();
        try (Stream<Path> files = Files.list(daemon.dataRoot.resolve("containers").resolve(id))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ctr.log")).sorted().toList();
        }
    }

    private static List<String> lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).toList();
    }

    @Test
    void rotation_keepsAtMostMaxFiles_andLogsReadsAcrossThemInOrder() throws Exception {
        List<String> run = new java.util.ArrayList<>(List.of("run", "-d", "--name", "rot", "--log-opt", "max-size=2k",
                "--log-opt", "max-file=3", "busybox"));
        run.addAll(List.of(printLines(300, "sleep 300")));
        Cli.berth(daemon, run.toArray(String[]::new)).assertOk();
        awaitLogLine("rot", "line 300");

        List<String> all = Cli.berth(daemon, "logs", "rot").assertOk().stdout().lines().toList();
        int first = Integer.parseInt(all.getFirst().substring("line ".length()));
        assertThat(first).as("the oldest lines were rotated away").isGreaterThan(1);
        assertThat(all).isEqualTo(lines(first, 300));
        assertThat(String.join("\n", all).length()).as("at most 3 files of 2 kB").isLessThan(3 * 2000);
        assertThat(logFiles("rot").stream().filter(n -> n.matches("ctr\\.log\\.\\d+"))).hasSizeBetween(2, 3);

        assertThat(Cli.berth(daemon, "logs", "--tail", "3", "rot").assertOk().stdout()).isEqualTo("line 298\nline 299\nline 300\n");
        assertThat(Cli.docker(daemon, "logs", "--tail", "2", "rot").assertOk().stdout()).isEqualTo("line 299\nline 300\n");
        // a tail longer than the newest file reaches into the older ones
        assertThat(Cli.docker(daemon, "logs", "-n", "60", "rot").assertOk().stdout().lines().toList()).isEqualTo(lines(241, 300));
        Cli.berth(daemon, "rm", "-f", "rot").assertOk();
    }

    @Test
    void compress_gzipsTheFilesConmonNoLongerWrites() throws Exception {
        List<String> run = new java.util.ArrayList<>(List.of("run", "-d", "--name", "gz", "--log-opt", "max-size=1k",
                "--log-opt", "max-file=4", "--log-opt", "compress=true", "busybox"));
        run.addAll(List.of(printLines(60, "sleep 300")));
        Cli.berth(daemon, run.toArray(String[]::new)).assertOk();
        awaitLogLine("gz", "line 60");

        List<String> files = logFiles("gz");
        assertThat(files).anyMatch(n -> n.endsWith(".gz"));
        List<String> all = Cli.docker(daemon, "logs", "gz").assertOk().stdout().lines().toList();
        int first = Integer.parseInt(all.getFirst().substring("line ".length()));
        assertThat(all).isEqualTo(lines(first, 60));
        assertThat(Cli.berth(daemon, "logs", "--tail", "30", "gz").assertOk().stdout().lines().toList()).isEqualTo(lines(31, 60));
        Cli.berth(daemon, "rm", "-f", "gz").assertOk();
    }

    @Test
    void inspect_showsTheRotatingDefault() {
        Cli.berth(daemon, "create", "--name", "dflt", "busybox", "true").assertOk();
        String expected = "{\"Type\":\"json-file\",\"Config\":{\"max-file\":\"5\",\"max-size\":\"10m\"}}";
        assertThat(Cli.berth(daemon, "inspect", "-f", "{{json .HostConfig.LogConfig}}", "dflt").assertOk().out()).isEqualTo(expected);
        assertThat(Cli.docker(daemon, "inspect", "-f", "{{json .HostConfig.LogConfig}}", "dflt").assertOk().out()).isEqualTo(expected);
        // a container's own options come first; the defaults fill in the rest
        Cli.docker(daemon, "create", "--name", "own", "--log-opt", "max-file=2", "busybox", "true").assertOk();
        assertThat(Cli.docker(daemon, "inspect", "-f", "{{json .HostConfig.LogConfig.Config}}", "own").assertOk().out())
                .isEqualTo("{\"max-file\":\"2\",\"max-size\":\"10m\"}");
        Cli.docker(daemon, "create", "--name", "loc", "--log-driver", "local", "busybox", "true").assertOk();
        assertThat(Cli.docker(daemon, "inspect", "-f", "{{json .HostConfig.LogConfig}}", "loc").assertOk().out())
                .isEqualTo("{\"Type\":\"local\",\"Config\":{}}");
        Cli.berth(daemon, "rm", "dflt", "own", "loc").assertOk();
    }

    @Test
    void noneDriver_logsAnswersDockersError() throws Exception {
        Cli.berth(daemon, "run", "--name", "quiet", "--log-driver", "none", "busybox", "echo", "hi").assertOk();
        for (Cli.Result r : List.of(Cli.berth(daemon, "logs", "quiet"), Cli.docker(daemon, "logs", "quiet"))) {
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("Error response from daemon: configured logging driver does not support reading");
        }
        assertThat(logFiles("quiet")).isEmpty();
        assertThat(Cli.berth(daemon, "inspect", "-f", "{{.LogPath}}", "quiet").assertOk().out()).isEmpty();
        Cli.berth(daemon, "rm", "quiet").assertOk();
    }

    @Test
    void badOptions_failWithDockersMessages_andLeaveNothingBehind() {
        int before = Cli.berth(daemon, "ps", "-aq").stdout().lines().toList().size();
        String[][] cases = {
            {"--log-opt", "max-size=abc", "failed to initialize logging driver: invalid size: 'abc'"},
            {"--log-opt", "max-size=0", "failed to initialize logging driver: max-size must be a positive number"},
            {"--log-opt", "max-file=0", "failed to initialize logging driver: max-file cannot be less than 1"},
            {"--log-opt", "max-file=x", "failed to initialize logging driver: strconv.Atoi: parsing \"x\": invalid syntax"},
            {"--log-opt", "colour=blue", "unknown log opt 'colour' for json-file log driver"},
            {"--log-driver", "syslog2", "logger: no log driver named 'syslog2' is registered"},
        };
        for (String[] c : cases) {
            Cli.Result berth = Cli.berth(daemon, "run", "--rm", c[0], c[1], "busybox", "true");
            assertThat(berth.exitCode()).as(c[1]).isEqualTo(125);
            assertThat(berth.stderr()).contains("Error response from daemon: " + c[2]);
            Cli.Result docker = Cli.docker(daemon, "run", "--rm", c[0], c[1], "busybox", "true");
            assertThat(docker.exitCode()).as(c[1]).isEqualTo(125);
            assertThat(docker.stderr()).contains("Error response from daemon: " + c[2]);
        }
        Cli.Result compress = Cli.berth(daemon, "create", "--log-opt", "compress=true", "--log-opt", "max-file=1", "busybox");
        assertThat(compress.stderr())
                .contains("compress cannot be true when max-file is less than 2 or max-size is not set");
        assertThat(Cli.berth(daemon, "ps", "-aq").stdout().lines().toList()).hasSize(before);
    }

    @Test
    void restart_keepsThePreviousRunsLog() {
        Cli.berth(daemon, "run", "--name", "twice", "busybox", "echo", "run").assertOk();
        Cli.berth(daemon, "start", "-a", "twice").assertOk();
        assertThat(Cli.docker(daemon, "logs", "twice").assertOk().stdout()).isEqualTo("run\nrun\n");
        Cli.berth(daemon, "rm", "twice").assertOk();
    }

    @Test
    void follow_goesOnAcrossRotations_withoutLosingALine() throws Exception {
        // about 40 lines a second for 3 s, with a new file every ~18 lines
        Cli.berth(daemon, "run", "-d", "--name", "chatty", "--log-opt", "max-size=1k", "--log-opt", "max-file=50", "busybox",
                "sh", "-c", "i=1; while [ $i -le 120 ]; do echo line $i; i=$((i+1)); usleep 25000; done").assertOk();
        Cli.Result followed = Cli.docker(daemon, "logs", "-f", "chatty");
        assertThat(followed.exitCode()).isZero();
        assertThat(followed.stdout().lines().toList()).isEqualTo(lines(1, 120));
        assertThat(logFiles("chatty").size()).isGreaterThan(4);
        Cli.berth(daemon, "rm", "chatty").assertOk();
    }

    @Test
    void details_prefixesTheAttributesTheOptionsName() {
        Cli.berth(daemon, "run", "--name", "det", "--label", "app=web", "-e", "MODE=fast", "--log-opt", "labels=app",
                "--log-opt", "env=MODE", "busybox", "echo", "hello").assertOk();
        assertThat(Cli.docker(daemon, "logs", "--details", "det").assertOk().stdout()).isEqualTo("MODE=fast,app=web hello\n");
        assertThat(Cli.berth(daemon, "logs", "--details", "-t", "det").assertOk().stdout())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z MODE=fast,app=web hello\n");
        Cli.berth(daemon, "run", "--name", "plain", "busybox", "echo", "hello").assertOk();
        assertThat(Cli.berth(daemon, "logs", "--details", "plain").assertOk().stdout()).isEqualTo(" hello\n");
        Cli.berth(daemon, "rm", "det", "plain").assertOk();
    }

    @Test
    void daemonJson_setsTheDefaultDriverAndOptions() throws Exception {
        Path config = Files.writeString(base.resolve("daemon.json"),
                "{\"log-driver\": \"json-file\", \"log-opts\": {\"max-size\": \"1k\", \"max-file\": \"2\"}}");
        try (Daemon other = new Daemon(Files.createDirectories(base.resolve("other"))).withConfigFile(config).start()) {
            Cli.berth(other, "import", Images.busyboxTar().toString(), "busybox:latest").assertOk();
            Cli.berth(other, "create", "--name", "cc", "--log-opt", "max-file=3", "busybox", "true").assertOk();
            assertThat(Cli.docker(other, "inspect", "-f", "{{json .HostConfig.LogConfig}}", "cc").assertOk().out())
                    .isEqualTo("{\"Type\":\"json-file\",\"Config\":{\"max-file\":\"3\",\"max-size\":\"1k\"}}");
            assertThat(Cli.docker(other, "info", "-f", "{{.LoggingDriver}}").assertOk().out()).isEqualTo("json-file");
        }
    }
}
