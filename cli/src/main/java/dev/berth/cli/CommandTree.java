package dev.berth.cli;

import dev.berth.cli.container.AttachCommand;
import dev.berth.cli.container.CreateCommand;
import dev.berth.cli.container.ExportCommand;
import dev.berth.cli.container.InspectCommand;
import dev.berth.cli.container.KillCommand;
import dev.berth.cli.container.LogsCommand;
import dev.berth.cli.container.PruneCommand;
import dev.berth.cli.container.PsCommand;
import dev.berth.cli.container.RestartCommand;
import dev.berth.cli.container.RmCommand;
import dev.berth.cli.container.RunCommand;
import dev.berth.cli.container.StartCommand;
import dev.berth.cli.container.StopCommand;
import dev.berth.cli.container.WaitCommand;
import dev.berth.cli.image.ImageInspectCommand;
import dev.berth.cli.image.ImagesCommand;
import dev.berth.cli.image.ImportCommand;
import dev.berth.cli.image.RmiCommand;
import dev.berth.cli.image.TagCommand;
import dev.berth.cli.system.InfoCommand;
import dev.berth.cli.system.VersionCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Wires the verbs under their docker names. A verb reachable as "berth ps" and "berth container ls" is registered
 * twice from the same class, as docker/cli does with its cobra commands.
 */
final class CommandTree {
    private CommandTree() {
    }

    static CommandLine build(Cli cli) {
        VerbFactory factory = new VerbFactory(cli);
        CommandLine root = new CommandLine(BerthCommand.class, factory);
        root.addSubcommand("run", verb(RunCommand.class, factory));
        root.addSubcommand("create", verb(CreateCommand.class, factory));
        root.addSubcommand("start", verb(StartCommand.class, factory));
        root.addSubcommand("stop", verb(StopCommand.class, factory));
        root.addSubcommand("restart", verb(RestartCommand.class, factory));
        root.addSubcommand("kill", verb(KillCommand.class, factory));
        root.addSubcommand("wait", verb(WaitCommand.class, factory));
        root.addSubcommand("rm", verb(RmCommand.class, factory));
        root.addSubcommand("ps", verb(PsCommand.class, factory));
        root.addSubcommand("logs", verb(LogsCommand.class, factory));
        root.addSubcommand("attach", verb(AttachCommand.class, factory));
        root.addSubcommand("inspect", verb(InspectCommand.class, factory));
        root.addSubcommand("export", verb(ExportCommand.class, factory));
        root.addSubcommand("images", verb(ImagesCommand.class, factory));
        root.addSubcommand("rmi", verb(RmiCommand.class, factory));
        root.addSubcommand("tag", verb(TagCommand.class, factory));
        root.addSubcommand("import", verb(ImportCommand.class, factory));
        root.addSubcommand("version", verb(VersionCommand.class, factory));
        root.addSubcommand("info", verb(InfoCommand.class, factory));

        CommandLine container = group("container", "Manage containers", factory);
        container.addSubcommand("attach", verb(AttachCommand.class, factory));
        container.addSubcommand("create", verb(CreateCommand.class, factory));
        container.addSubcommand("export", verb(ExportCommand.class, factory));
        container.addSubcommand("inspect", verb(InspectCommand.ContainerOnly.class, factory));
        container.addSubcommand("kill", verb(KillCommand.class, factory));
        container.addSubcommand("logs", verb(LogsCommand.class, factory));
        container.addSubcommand("ls", named(verb(PsCommand.class, factory), "ls"), "list", "ps");
        container.addSubcommand("prune", verb(PruneCommand.class, factory));
        container.addSubcommand("restart", verb(RestartCommand.class, factory));
        container.addSubcommand("rm", named(verb(RmCommand.class, factory), "rm"), "remove");
        container.addSubcommand("run", verb(RunCommand.class, factory));
        container.addSubcommand("start", verb(StartCommand.class, factory));
        container.addSubcommand("stop", verb(StopCommand.class, factory));
        container.addSubcommand("wait", verb(WaitCommand.class, factory));
        root.addSubcommand("container", container);

        CommandLine image = group("image", "Manage images", factory);
        image.addSubcommand("import", verb(ImportCommand.class, factory));
        image.addSubcommand("inspect", verb(ImageInspectCommand.class, factory));
        image.addSubcommand("ls", named(verb(ImagesCommand.class, factory), "ls"), "list");
        image.addSubcommand("rm", named(verb(RmiCommand.class, factory), "rm"), "remove");
        image.addSubcommand("tag", verb(TagCommand.class, factory));
        root.addSubcommand("image", image);

        CommandLine system = group("system", "Manage Docker", factory);
        system.addSubcommand("info", verb(InfoCommand.class, factory));
        root.addSubcommand("system", system);

        root.setOverwrittenOptionsAllowed(true);
        root.setAllowOptionsAsOptionParameters(true);
        root.setUnmatchedOptionsAllowedAsOptionParameters(true);
        return root;
    }

    private static CommandLine verb(Class<?> type, VerbFactory factory) {
        CommandLine verb = new CommandLine(type, factory);
        if (type == RunCommand.class || type == CreateCommand.class) {
            // docker parses run/create flags only up to the image: "run busybox ls -l" passes -l to ls.
            verb.setStopAtPositional(true);
        }
        return verb;
    }

    /** The group form of a verb has its own name ("container ls" for ps), used in usage lines and errors. */
    private static CommandLine named(CommandLine verb, String name) {
        verb.getCommandSpec().name(name);
        return verb;
    }

    private static CommandLine group(String name, String description, VerbFactory factory) {
        CommandLine group = new CommandLine(GroupCommand.class, factory);
        CommandSpec spec = group.getCommandSpec();
        spec.name(name);
        spec.usageMessage().description(description);
        spec.usageMessage().customSynopsis("COMMAND");
        return group;
    }
}
