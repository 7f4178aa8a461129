package dev.berth.cli;

import picocli.CommandLine.Option;

/** docker's --help flag; it is not listed among a command's options, as in docker. */
public final class HelpOption {
    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;
}
