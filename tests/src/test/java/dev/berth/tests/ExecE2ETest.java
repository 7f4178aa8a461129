package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code exec} through berth, the docker CLI and the raw API, into a real running busybox container: exit codes,
 * stdio, user, working directory, environment, TTY (on a real pty), detach, and Docker's refusals. Needs root, the
 * docker CLI, curl and util-linux {@code script}.
 */
class ExecE2ETest extends BusyboxDaemonTest {
    @BeforeAll
    static void startContainer() {
        Cli.berth(daemon, "run", "-d", "--name", "ex1", "-e", "FROM_RUN=r", "busybox", "sleep", "600").assertOk();
    }

    @Test
    void exec_printsStdoutAndStderrApart_andReturnsTheExitCode() {
        Cli.Result r = Cli.berth(daemon, "exec", "ex1", "sh", "-c", "echo out; echo err >&2; exit 7");
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(Cli.berth(daemon, "exec", "ex1", "ls", "/").assertOk().stdout()).contains("bin\n", "etc\n", "proc\n");
        assertThat(Cli.berth(daemon, "container", "exec", "ex1", "true").exitCode()).isZero();
    }

    @Test
    void exec_missingCommandIs127_andNotExecutableIs126_withDockersMessage() {
        Cli.Result missing = Cli.berth(daemon, "exec", "ex1", "nosuchcommand");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stdout()).contains("OCI runtime exec failed")
                .contains("exec: \"nosuchcommand\": executable file not found in $PATH");
        Cli.Result notExecutable = Cli.berth(daemon, "exec", "ex1", "/etc/passwd");
        assertThat(notExecutable.exitCode()).isEqualTo(126);
        assertThat(notExecutable.stdout()).contains("permission denied");
        Cli.Result docker = Cli.docker(daemon, "exec", "ex1", "nosuchcommand");
        assertThat(docker.exitCode()).isEqualTo(127);
        assertThat(docker.stdout() + docker.stderr()).contains("executable file not found in $PATH");
    }

    @Test
    void exec_userWorkdirAndEnvironment() throws Exception {
        assertThat(Cli.berth(daemon, "exec", "-u", "1000:1000", "-w", "/tmp", "ex1", "sh", "-c", "id -u; id -g; pwd")
                .assertOk().stdout()).isEqualTo("1000\n1000\n/tmp\n");
        assertThat(Cli.berth(daemon, "exec", "--user", "nobody", "ex1", "id", "-un").assertOk().out()).isEqualTo("nobody");
        assertThat(Cli.berth(daemon, "exec", "--workdir", "/etc", "ex1", "pwd").assertOk().out()).isEqualTo("/etc");
        Path envFile = base.resolve("exec.env");
        Files.writeString(envFile, "# a comment\n\nFROM_FILE=f\nFROM_RUN=overridden\n  INDENTED=i\n");
        String env = Cli.berth(daemon, "exec", "--env-file", envFile.toString(), "-e", "FROM_FLAG=e", "ex1", "env")
                .assertOk().stdout();
        assertThat(env).contains("FROM_FILE=f\n", "FROM_FLAG=e\n", "FROM_RUN=overridden\n", "INDENTED=i\n",
                "HOSTNAME=", "PATH=/usr/local/sbin");
        assertThat(env).doesNotContain("TERM=");
        assertThat(Cli.berth(daemon, "exec", "ex1", "env").assertOk().stdout()).contains("FROM_RUN=r\n");
        assertThat(Cli.docker(daemon, "exec", "-u", "1000", "-w", "/tmp", "-e", "X=1", "--env-file", envFile.toString(),
                "ex1", "sh", "-c", "echo $(id -u) $PWD $X $FROM_FILE").assertOk().out()).isEqualTo("1000 /tmp 1 f");
    }

    @Test
    void exec_badEnvFile_andBadUser_failAsDocker() throws Exception {
        Path bad = base.resolve("bad.env");
        Files.writeString(bad, "BAD NAME=1\n");
        Cli.Result r = Cli.berth(daemon, "exec", "--env-file", bad.toString(), "ex1", "true");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("poorly formatted environment: variable 'BAD NAME' contains whitespaces");
        Cli.Result missing = Cli.berth(daemon, "exec", "--env-file", "/nonexistent.env", "ex1", "true");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("open /nonexistent.env: no such file or directory");
        Cli.Result user = Cli.berth(daemon, "exec", "-u", "nosuchuser", "ex1", "true");
        assertThat(user.exitCode()).isEqualTo(126);
        assertThat(user.stdout()).contains("unable to find user nosuchuser: no matching entries in passwd file");
        Cli.Result dockerUser = Cli.docker(daemon, "exec", "-u", "nosuchuser", "ex1", "true");
        assertThat(dockerUser.exitCode()).isEqualTo(126);
        Cli.Result relative = Cli.berth(daemon, "exec", "-w", "tmp", "ex1", "true");
        assertThat(relative.exitCode()).isEqualTo(1);
        assertThat(relative.stderr()).contains("the working directory 'tmp' is invalid, it needs to be an absolute path");
        Cli.Result workdir = Cli.berth(daemon, "exec", "-w", "/no/such/dir", "ex1", "true");
        assertThat(workdir.exitCode()).isNotZero();
        assertThat(workdir.stdout()).contains("/no/such/dir");
    }

    @Test
    void exec_interactive_passesStdin_andItsEndClosesTheProcessStdin() {
        Cli.Result r = Cli.berthWithInput(daemon, "line one\nline two\n".getBytes(), "exec", "-i", "ex1", "sh", "-c",
                "cat; echo done");
        assertThat(r.assertOk().stdout()).isEqualTo("line one\nline two\ndone\n");
        // without -i the process's stdin is empty at once
        assertThat(Cli.berthWithInput(daemon, "ignored\n".getBytes(), "exec", "ex1", "sh", "-c", "cat; echo none")
                .assertOk().stdout()).isEqualTo("none\n");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "echo via-docker | docker exec -i ex1 cat");
        pb.environment().put("DOCKER_HOST", daemon.host());
        pb.environment().put("DOCKER_CONFIG", "/tmp/berth-tests-docker-config");
        assertThat(Cli.run(pb, null).assertOk().stdout()).isEqualTo("via-docker\n");
    }

    @Test
    void execDetached_runsInTheBackground_andIsListedInExecIdsWhileItRuns() throws Exception {
        int before = execCount();
        assertThat(Cli.berth(daemon, "exec", "-d", "ex1", "sh", "-c", "sleep 2; echo later > /tmp/detached")
                .assertOk().stdout()).isEmpty();
        assertThat(execCount()).isEqualTo(before + 1);
        Cli.docker(daemon, "exec", "-d", "ex1", "sh", "-c", "echo docker > /tmp/detached-docker").assertOk();
        String content = "";
        for (int i = 0; i < 100 && !content.equals("later"); i++) {
            Thread.sleep(100);
            content = Cli.berth(daemon, "exec", "ex1", "cat", "/tmp/detached").out();
        }
        assertThat(content).isEqualTo("later");
        assertThat(Cli.berth(daemon, "exec", "ex1", "cat", "/tmp/detached-docker").out()).isEqualTo("docker");
        assertThat(execCount()).isEqualTo(before);
    }

    private static int execCount() {
        String ids = Cli.berth(daemon, "inspect", "--format", "{{json .ExecIDs}}", "ex1").assertOk().out();
        return ids.equals("null") ? 0 : ids.split(",").length;
    }

    @Test
    void exec_privileged_getsMoreCapabilities() {
        String plain = Cli.berth(daemon, "exec", "ex1", "grep", "CapEff", "/proc/self/status").assertOk().out();
        String privileged = Cli.berth(daemon, "exec", "--privileged", "ex1", "grep", "CapEff", "/proc/self/status")
                .assertOk().out();
        assertThat(Long.parseLong(privileged.split("\\s+")[1], 16)).isGreaterThan(Long.parseLong(plain.split("\\s+")[1], 16));
        assertThat(Cli.docker(daemon, "exec", "--privileged", "ex1", "true").exitCode()).isZero();
    }

    @Test
    void exec_intoStoppedPausedOrMissingContainer_isRefusedWithDockersMessages() {
        String id = Cli.berth(daemon, "create", "--name", "ex-created", "busybox", "sleep", "60").assertOk().out();
        Cli.Result stopped = Cli.berth(daemon, "exec", "ex-created", "true");
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.stderr()).contains("Error response from daemon: container " + id + " is not running");
        Cli.Result dockerStopped = Cli.docker(daemon, "exec", "ex-created", "true");
        assertThat(dockerStopped.exitCode()).isEqualTo(1);
        assertThat(dockerStopped.stderr()).contains("container " + id + " is not running");
        Cli.berth(daemon, "rm", "ex-created").assertOk();

        String pausedId = Cli.berth(daemon, "run", "-d", "--name", "ex-paused", "busybox", "sleep", "60").assertOk().out();
        Cli.berth(daemon, "pause", "ex-paused").assertOk();
        Cli.Result paused = Cli.berth(daemon, "exec", "ex-paused", "true");
        assertThat(paused.exitCode()).isEqualTo(1);
        assertThat(paused.stderr()).contains("Container " + pausedId + " is paused, unpause the container before exec");
        assertThat(Cli.docker(daemon, "exec", "ex-paused", "true").stderr()).contains("is paused, unpause the container before exec");
        Cli.berth(daemon, "rm", "-f", "ex-paused").assertOk();

        Cli.Result missing = Cli.berth(daemon, "exec", "nosuchcontainer", "true");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("Error response from daemon: No such container: nosuchcontainer");
        assertThat(Cli.docker(daemon, "exec", "nosuchcontainer", "true").stderr()).contains("No such container: nosuchcontainer");
        Cli.Result usage = Cli.berth(daemon, "exec", "ex1");
        assertThat(usage.exitCode()).isEqualTo(1);
        assertThat(usage.stderr()).contains("'berth exec' requires at least 2 arguments");
        Cli.Result tty = Cli.berth(daemon, "exec", "-it", "ex1", "sh");
        assertThat(tty.exitCode()).isEqualTo(1);
        assertThat(tty.stderr()).contains("the input device is not a TTY");
        assertThat(Cli.berth(daemon, "ps", "-a", "--format", "{{.Names}}").out()).isEqualTo("ex1");
    }

    @Test
    void api_createStartInspect_asTheEngineApiDescribes() {
        Api.Reply empty = Api.call(daemon, "POST", "/containers/ex1/exec", "{\"Cmd\":[]}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("No exec command specified");
        Api.Reply created = Api.call(daemon, "POST", "/containers/ex1/exec",
                "{\"Cmd\":[\"sh\",\"-c\",\"exit 3\"],\"AttachStdout\":true,\"User\":\"1000\",\"Tty\":false}");
        assertThat(created.status()).isEqualTo(201);
        Matcher m = Pattern.compile("\"Id\":\"([0-9a-f]{64})\"").matcher(created.body());
        assertThat(m.find()).as(created.body()).isTrue();
        String execId = m.group(1);
        String before = Api.call(daemon, "GET", "/exec/" + execId + "/json", null).body();
        assertThat(before).contains("\"ID\":\"" + execId + "\"", "\"Running\":false", "\"ExitCode\":null",
                "\"OpenStdout\":true", "\"OpenStdin\":false", "\"entrypoint\":\"sh\"", "\"arguments\":[\"-c\",\"exit 3\"]",
                "\"user\":\"1000\"", "\"ContainerID\":\"");
        assertThat(Cli.berth(daemon, "inspect", "--format", "{{.ExecIDs}}", "ex1").out()).contains(execId);
        Api.Reply started = Api.call(daemon, "POST", "/exec/" + execId + "/start", "{\"Detach\":true}");
        assertThat(started.status()).isEqualTo(200);
        String after = "";
        for (int i = 0; i < 100 && !after.contains("\"Running\":false"); i++) {
            after = Api.call(daemon, "GET", "/exec/" + execId + "/json", null).body();
        }
        assertThat(after).contains("\"Running\":false", "\"ExitCode\":3");
        Api.Reply again = Api.call(daemon, "POST", "/exec/" + execId + "/start", "{\"Detach\":true}");
        assertThat(again.status()).isEqualTo(409);
        Api.Reply unknown = Api.call(daemon, "GET", "/exec/nosuchexec/json", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("No such exec instance: nosuchexec");
        assertThat(Api.call(daemon, "POST", "/exec/nosuchexec/start", "{}").status()).isEqualTo(404);
    }

    @Test
    void execIt_runsOnARealTerminal_sizedLikeTheClients() throws Exception {
        Cli.Result r = Pty.run(daemon, 30, 100, Pty.berth(daemon, "exec", "-it", "ex1", "sh"), "# ",
                "tty; stty size; echo term=$TERM; exit 4\n");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdout()).contains("/dev/pts/", "30 100", "term=xterm");
        Cli.Result docker = Pty.run(daemon, 25, 90, List.of("docker", "exec", "-it", "ex1", "sh"), "# ",
                "stty size; echo via-docker-$((2+3)); exit 5\n");
        assertThat(docker.exitCode()).isEqualTo(5);
        assertThat(docker.stdout()).contains("25 90", "via-docker-5");
    }

    @Test
    void execIt_detachKeys_leaveTheProcessRunning() throws Exception {
        Cli.Result r = Pty.run(daemon, 24, 80, Pty.berth(daemon, "exec", "-it", "--detach-keys", "ctrl-x,x", "ex1", "sh"),
                "# ", "sleep 123 &\n", "# ", "\u0018x");
        assertThat(r.exitCode()).isZero();
        assertThat(Cli.berth(daemon, "top", "ex1").assertOk().stdout()).contains("sleep 123");
        Cli.Result bad = Cli.berth(daemon, "exec", "--detach-keys", "ctrl-", "ex1", "true");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("ctrl-");
    }
}
