package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command-line handling that needs no daemon: flag errors, argument counts, help. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("DOCKER_HOST", "unix:///nonexistent/berth.sock"), false, false);
        return Main.run(args, cli);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownLongFlag_exits125WithPflagWording() {
        assertThat(run("ps", "--foo")).isEqualTo(125);
        assertThat(err()).isEqualTo("unknown flag: --foo\n\nUsage:  berth ps [OPTIONS]\n\n"
                + "Run 'berth ps --help' for more information\n");
    }

    @Test
    void unknownShorthand_namesTheLetter() {
        assertThat(run("ps", "-z")).isEqualTo(125);
        assertThat(err()).startsWith("unknown shorthand flag: 'z' in -z\n");
    }

    @Test
    void missingFlagValue_saysFlagNeedsAnArgument() {
        assertThat(run("run", "-e")).isEqualTo(125);
        assertThat(err()).startsWith("flag needs an argument: 'e' in -e\n\nUsage:  berth run [OPTIONS] IMAGE");
    }

    @Test
    void badIntegerFlag_quotesGoParseError() {
        assertThat(run("stop", "-t", "abc", "x")).isEqualTo(125);
        assertThat(err()).startsWith("invalid argument \"abc\" for \"-t, --timeout\" flag: strconv.ParseInt: "
                + "parsing \"abc\": invalid syntax\n");
    }

    @Test
    void missingArguments_exit1WithUsage() {
        assertThat(run("rm")).isEqualTo(1);
        assertThat(err()).isEqualTo("berth: 'berth rm' requires at least 1 argument\n\n"
                + "Usage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth rm --help' for more information\n");
    }

    @Test
    void exactArgumentCount_isChecked() {
        assertThat(run("logs")).isEqualTo(1);
        assertThat(err()).startsWith("berth: 'berth logs' requires 1 argument\n");
    }

    @Test
    void unknownCommand_exit1() {
        assertThat(run("foo")).isEqualTo(1);
        assertThat(err()).isEqualTo("berth: unknown command: berth foo\n\nRun 'berth --help' for more information\n");
    }

    @Test
    void groupForm_usesItsOwnNameInErrors() {
        assertThat(run("container", "ls", "--foo")).isEqualTo(125);
        assertThat(err()).contains("Usage:  berth container ls [OPTIONS]");
    }

    @Test
    void runStopsParsingFlagsAtTheImage() {
        // "-l" belongs to the container's command; parsing reaches the daemon, which is absent here.
        assertThat(run("run", "busybox", "ls", "-l")).isEqualTo(125);
        assertThat(err()).contains("Cannot connect to the Docker daemon at unix:///nonexistent/berth.sock");
    }

    @Test
    void help_isPrintedInDockersLayout() {
        assertThat(run("stop", "--help")).isZero();
        assertThat(out()).isEqualTo("""
                Usage:  berth stop [OPTIONS] CONTAINER [CONTAINER...]

                Stop one or more running containers

                Aliases:
                  berth container stop, berth stop

                Options:
                  -s, --signal string   Signal to send to the container
                  -t, --timeout int     Seconds to wait before killing the container
                """);
    }

    @Test
    void help_listsEveryAliasOfTheGroupForm() {
        assertThat(run("container", "ls", "--help")).isZero();
        assertThat(out()).contains("Aliases:\n  berth container ls, berth container list, berth container ps, berth ps\n");
    }

    @Test
    void unreachableDaemon_exit1WithDockersMessage() {
        assertThat(run("ps")).isEqualTo(1);
        assertThat(err()).isEqualTo("Cannot connect to the Docker daemon at unix:///nonexistent/berth.sock. "
                + "Is the docker daemon running?\n");
    }

    @Test
    void export_refusesToWriteATerminal() {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false, true);
        assertThat(Main.run(new String[] {"export", "web"}, cli)).isEqualTo(1);
        assertThat(err()).isEqualTo("cowardly refusing to save to a terminal. Use the -o flag or redirect\n");
    }
}
