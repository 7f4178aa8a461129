package dev.berth.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** Positional-argument count checks worded like docker/cli's cli/required.go. */
public final class Args {
    private Args() {
    }

    public static void atLeast(CommandSpec spec, List<String> args, int min) {
        if (args.size() < min) {
            throw usage(spec, "requires at least " + min + " argument" + (min == 1 ? "" : "s"), "See");
        }
    }

    public static void exactly(CommandSpec spec, List<String> args, int n) {
        if (args.size() != n) {
            throw usage(spec, "requires " + n + " argument" + (n == 1 ? "" : "s"), "Run");
        }
    }

    public static void atMost(CommandSpec spec, List<String> args, int max) {
        if (args.size() > max) {
            throw usage(spec, "requires at most " + max + " argument" + (max == 1 ? "" : "s"), "See");
        }
    }

    public static void none(CommandSpec spec, List<String> args) {
        if (!args.isEmpty()) {
            throw new CliException(spec.root().name() + ": '" + DockerHelp.qualifiedName(spec)
                    + "' accepts no arguments\n\nUsage:  " + DockerHelp.usageLine(spec) + "\n\nRun '"
                    + DockerHelp.qualifiedName(spec) + " --help' for more information", 1);
        }
    }

    private static CliException usage(CommandSpec spec, String what, String verb) {
        String name = DockerHelp.qualifiedName(spec);
        return new CliException(spec.root().name() + ": '" + name + "' " + what + "\n\nUsage:  "
                + DockerHelp.usageLine(spec) + "\n\n" + verb + " '" + name + " --help' for more information", 1);
    }
}
