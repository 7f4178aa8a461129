package dev.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The root command: global options only; verbs are attached by {@link CommandTree}. */
@Command(name = "berth", customSynopsis = "[OPTIONS] COMMAND", description = "A self-sufficient runtime for containers")
public final class BerthCommand {
    @Mixin
    HelpOption help;

    @Option(names = {"-H", "--host"}, paramLabel = "list", description = "Daemon socket to connect to")
    String host;

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode")
    boolean debug;

    @Option(names = {"-l", "--log-level"}, paramLabel = "string",
            description = "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\") (default \"info\")")
    String logLevel;

    @Option(names = {"-v", "--version"}, description = "Print version information and quit")
    boolean version;
}
