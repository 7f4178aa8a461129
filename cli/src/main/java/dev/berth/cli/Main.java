package dev.berth.cli;

import dev.berth.api.client.ApiException;
import dev.berth.api.client.DaemonUnreachableException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code berth} launcher: parses docker's command line, runs one verb and exits with docker's status (125 for flag
 * errors, 1 for daemon errors, the container's code for run/start -a/wait).
 */
public final class Main {
    /** The CLI's own version, shown by "berth version" and "berth -v". */
    public static final String VERSION = "0.1.0";

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        boolean stdinTty = Terminal.isTerminal(0);
        boolean stdoutTty = Terminal.isTerminal(1);
        Cli cli = new Cli(System.in, out, err, System.getenv(), stdinTty, stdoutTty);
        int code = run(args, cli);
        out.flush();
        err.flush();
        System.exit(code);
    }

    public static int run(String[] args, Cli cli) {
        CommandLine root = CommandTree.build(cli, args);
        ParseResult parsed;
        try {
            parsed = root.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            cli.err().println(FlagErrors.describe(e, args));
            return FlagErrors.exitCode(e);
        }
        BerthCommand global = (BerthCommand) root.getCommand();
        cli.hostFlag(global.host);
        ParseResult leaf = parsed;
        while (true) {
            if (leaf.isUsageHelpRequested()) {
                cli.out().print(DockerHelp.render(leaf.commandSpec()));
                cli.out().flush();
                return 0;
            }
            if (!leaf.hasSubcommand()) {
                break;
            }
            leaf = leaf.subcommand();
        }
        CommandSpec spec = leaf.commandSpec();
        if (leaf == parsed && global.version) {
            return execute(cli, () -> VersionLine.print(cli));
        }
        if (!(spec.userObject() instanceof Callable<?> verb)) {
            // "berth" or "berth container" alone: docker shows the help on stderr and succeeds.
            cli.err().print(DockerHelp.render(spec));
            cli.err().flush();
            return 0;
        }
        return execute(cli, verb);
    }

    private static int execute(Cli cli, Callable<?> verb) {
        try {
            Object result = verb.call();
            cli.out().flush();
            return result instanceof Integer code ? code : 0;
        } catch (CliException e) {
            cli.out().flush();
            if (!e.getMessage().isEmpty()) {
                cli.err().println(e.getMessage());
            }
            return e.exitCode();
        } catch (ApiException e) {
            cli.out().flush();
            cli.err().println("Error response from daemon: " + e.getMessage());
            return 1;
        } catch (DaemonUnreachableException e) {
            cli.out().flush();
            cli.err().println(e.getMessage());
            return 1;
        } catch (IOException e) {
            cli.out().flush();
            cli.err().println("error during connect: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            cli.out().flush();
            cli.err().println("Error: " + e);
            return 1;
        }
    }

    /** pflag's wording for flag errors, followed by docker's usage hint. */
    static final class FlagErrors {
        private FlagErrors() {
        }

        static int exitCode(CommandLine.ParameterException e) {
            return isUnknownCommand(e) ? 1 : 125;
        }

        static String describe(CommandLine.ParameterException e, String[] args) {
            CommandSpec spec = e.getCommandLine().getCommandSpec();
            String name = DockerHelp.qualifiedName(spec);
            String root = spec.root().name();
            if (isUnknownCommand(e)) {
                String word = ((CommandLine.UnmatchedArgumentException) e).getUnmatched().get(0);
                String text = root + ": unknown command: " + name + " " + word + "\n\n";
                if (spec.parent() != null) {
                    text += "Usage:  " + name + "\n\n";
                }
                return text + "Run '" + name + " --help' for more information";
            }
            return message(e, spec, args) + "\n\nUsage:  " + DockerHelp.usageLine(spec) + "\n\nRun '" + name
                    + " --help' for more information";
        }

        private static boolean isUnknownCommand(CommandLine.ParameterException e) {
            return e instanceof CommandLine.UnmatchedArgumentException u
                    && !e.getCommandLine().getSubcommands().isEmpty()
                    && !u.getUnmatched().isEmpty()
                    && !u.getUnmatched().get(0).startsWith("-");
        }

        private static String message(CommandLine.ParameterException e, CommandSpec spec, String[] args) {
            if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
                String token = u.getUnmatched().get(0);
                if (token.startsWith("--")) {
                    int eq = token.indexOf('=');
                    return "unknown flag: " + (eq > 0 ? token.substring(0, eq) : token);
                }
                if (token.startsWith("-") && token.length() > 1) {
                    for (int i = 1; i < token.length(); i++) {
                        if (spec.findOption("-" + token.charAt(i)) == null) {
                            return "unknown shorthand flag: '" + token.charAt(i) + "' in " + token;
                        }
                    }
                }
                if (!spec.subcommands().isEmpty() || spec.positionalParameters().isEmpty()) {
                    return root(spec) + ": '" + DockerHelp.qualifiedName(spec) + "' accepts no arguments";
                }
                return e.getMessage();
            }
            if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                    && m.getMissing().get(0) instanceof OptionSpec option) {
                String last = args.length == 0 ? "" : args[args.length - 1];
                if (!last.startsWith("--") && last.startsWith("-")) {
                    return "flag needs an argument: '" + last.charAt(last.length() - 1) + "' in " + last;
                }
                return "flag needs an argument: " + longName(option);
            }
            ArgSpec arg = e.getArgSpec();
            if (arg instanceof OptionSpec option && e.getValue() != null) {
                String cause = e.getCause() instanceof CommandLine.TypeConversionException t
                        && option.converters().length > 0 ? t.getMessage() : conversionCause(option, e.getValue());
                return "invalid argument \"" + e.getValue() + "\" for \"" + flagNames(option) + "\" flag: " + cause;
            }
            return e.getMessage();
        }

        private static String root(CommandSpec spec) {
            return spec.root().name();
        }

        private static String conversionCause(OptionSpec option, String value) {
            Class<?> type = option.type();
            if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
                return "strconv.ParseInt: parsing \"" + value + "\": invalid syntax";
            }
            if (type == boolean.class || type == Boolean.class) {
                return "strconv.ParseBool: parsing \"" + value + "\": invalid syntax";
            }
            return "invalid value";
        }

        private static String flagNames(OptionSpec option) {
            List<String> names = List.of(option.names());
            String shortName = names.stream().filter(n -> n.length() == 2 && !n.startsWith("--")).findFirst()
                    .orElse(null);
            return shortName == null ? longName(option) : shortName + ", " + longName(option);
        }

        private static String longName(OptionSpec option) {
            for (String n : option.names()) {
                if (n.startsWith("--")) {
                    return n;
                }
            }
            return option.longestName();
        }
    }
}
