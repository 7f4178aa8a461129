package dev.berth.cli;

import dev.berth.cli.build.BuildCommand;
import dev.berth.cli.build.BuilderPruneCommand;
import dev.berth.cli.container.AttachCommand;
import dev.berth.cli.container.CommitCommand;
import dev.berth.cli.container.DiffCommand;
import dev.berth.cli.container.CreateCommand;
import dev.berth.cli.container.ExecCommand;
import dev.berth.cli.container.ExportCommand;
import dev.berth.cli.container.InspectCommand;
import dev.berth.cli.container.KillCommand;
import dev.berth.cli.container.PauseCommand;
import dev.berth.cli.container.LogsCommand;
import dev.berth.cli.container.PruneCommand;
import dev.berth.cli.container.PsCommand;
import dev.berth.cli.container.RenameCommand;
import dev.berth.cli.container.RestartCommand;
import dev.berth.cli.container.RmCommand;
import dev.berth.cli.container.RunCommand;
import dev.berth.cli.container.StartCommand;
import dev.berth.cli.container.StatsCommand;
import dev.berth.cli.container.StopCommand;
import dev.berth.cli.container.TopCommand;
import dev.berth.cli.container.UnpauseCommand;
import dev.berth.cli.container.UpdateCommand;
import dev.berth.cli.container.WaitCommand;
import dev.berth.cli.container.PortCommand;
import dev.berth.cli.image.HistoryCommand;
import dev.berth.cli.network.NetworkConnectCommand;
import dev.berth.cli.network.NetworkCreateCommand;
import dev.berth.cli.network.NetworkDisconnectCommand;
import dev.berth.cli.network.NetworkInspectCommand;
import dev.berth.cli.network.NetworkLsCommand;
import dev.berth.cli.network.NetworkPruneCommand;
import dev.berth.cli.network.NetworkRmCommand;
import dev.berth.cli.image.ImageInspectCommand;
import dev.berth.cli.image.ImagePruneCommand;
import dev.berth.cli.image.ImagesCommand;
import dev.berth.cli.image.ImportCommand;
import dev.berth.cli.image.PullCommand;
import dev.berth.cli.image.PushCommand;
import dev.berth.cli.image.LoadCommand;
import dev.berth.cli.image.SaveCommand;
import dev.berth.cli.registry.LoginCommand;
import dev.berth.cli.registry.LogoutCommand;
import dev.berth.cli.registry.SearchCommand;
import dev.berth.cli.image.RmiCommand;
import dev.berth.cli.image.TagCommand;
import dev.berth.cli.system.DfCommand;
import dev.berth.cli.system.EventsCommand;
import dev.berth.cli.system.InfoCommand;
import dev.berth.cli.system.SystemPruneCommand;
import dev.berth.cli.system.VersionCommand;
import dev.berth.cli.container.CpCommand;
import dev.berth.cli.volume.VolumeCloneCommand;
import dev.berth.cli.volume.VolumeCreateCommand;
import dev.berth.cli.volume.VolumeExportCommand;
import dev.berth.cli.volume.VolumeImportCommand;
import dev.berth.cli.volume.VolumeInspectCommand;
import dev.berth.cli.volume.VolumeLsCommand;
import dev.berth.cli.volume.VolumePruneCommand;
import dev.berth.cli.volume.VolumeRmCommand;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.ClassFileSpecs;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Wires the verbs under their docker names. A verb reachable as "berth ps" and "berth container ls" is registered
 * twice from the same class, as docker/cli does with its cobra commands.
 *
 * <p>Building a picocli command costs a JVM that has just started a few milliseconds per verb; a command line names one
 * verb, so only that verb (and its group) is built. The whole tree is
 * built when the command line names none or one that does not exist, for the help listing and the error message.
 */
final class CommandTree {
    /** One verb: its name, the class that implements it, and its other names. */
    private record Verb(String name, Class<?> type, String... aliases) {
        boolean answersTo(String word) {
            return name.equals(word) || List.of(aliases).contains(word);
        }
    }

    private record Group(String name, String description, List<Verb> verbs) {}

    private static final List<Verb> TOP = List.of(
            new Verb("run", RunCommand.class), new Verb("create", CreateCommand.class),
            new Verb("start", StartCommand.class), new Verb("stop", StopCommand.class),
            new Verb("restart", RestartCommand.class), new Verb("kill", KillCommand.class),
            new Verb("wait", WaitCommand.class), new Verb("rm", RmCommand.class), new Verb("ps", PsCommand.class),
            new Verb("logs", LogsCommand.class), new Verb("attach", AttachCommand.class),
            new Verb("inspect", InspectCommand.class), new Verb("export", ExportCommand.class),
            new Verb("images", ImagesCommand.class), new Verb("rmi", RmiCommand.class), new Verb("tag", TagCommand.class),
            new Verb("import", ImportCommand.class), new Verb("pull", PullCommand.class), new Verb("push", PushCommand.class),
            new Verb("save", SaveCommand.class), new Verb("load", LoadCommand.class),
            new Verb("login", LoginCommand.class), new Verb("logout", LogoutCommand.class),
            new Verb("search", SearchCommand.class), new Verb("version", VersionCommand.class),
            new Verb("info", InfoCommand.class), new Verb("build", BuildCommand.class),
            new Verb("commit", CommitCommand.class), new Verb("diff", DiffCommand.class),
            new Verb("history", HistoryCommand.class),
            new Verb("exec", ExecCommand.class), new Verb("pause", PauseCommand.class),
            new Verb("unpause", UnpauseCommand.class), new Verb("top", TopCommand.class),
            new Verb("stats", StatsCommand.class), new Verb("update", UpdateCommand.class),
            new Verb("rename", RenameCommand.class), new Verb("events", EventsCommand.class),
            new Verb("port", PortCommand.class),
            new Verb("cp", CpCommand.class));

    private static final List<Group> GROUPS = List.of(
            new Group("container", "Manage containers", List.of(
                    new Verb("attach", AttachCommand.class), new Verb("create", CreateCommand.class),
                    new Verb("export", ExportCommand.class), new Verb("inspect", InspectCommand.ContainerOnly.class),
                    new Verb("kill", KillCommand.class), new Verb("logs", LogsCommand.class),
                    new Verb("ls", PsCommand.class, "list", "ps"), new Verb("prune", PruneCommand.class),
                    new Verb("restart", RestartCommand.class), new Verb("rm", RmCommand.class, "remove"),
                    new Verb("run", RunCommand.class), new Verb("start", StartCommand.class),
                    new Verb("stop", StopCommand.class), new Verb("wait", WaitCommand.class),
                    new Verb("commit", CommitCommand.class), new Verb("diff", DiffCommand.class),
                    new Verb("exec", ExecCommand.class), new Verb("pause", PauseCommand.class),
                    new Verb("unpause", UnpauseCommand.class), new Verb("top", TopCommand.class),
                    new Verb("stats", StatsCommand.class), new Verb("update", UpdateCommand.class),
                    new Verb("rename", RenameCommand.class), new Verb("port", PortCommand.class),
                    new Verb("cp", CpCommand.class))),
            new Group("network", "Manage networks", List.of(
                    new Verb("connect", NetworkConnectCommand.class), new Verb("create", NetworkCreateCommand.class),
                    new Verb("disconnect", NetworkDisconnectCommand.class),
                    new Verb("inspect", NetworkInspectCommand.class),
                    new Verb("ls", NetworkLsCommand.class, "list"), new Verb("prune", NetworkPruneCommand.class),
                    new Verb("rm", NetworkRmCommand.class, "remove"))),
            new Group("volume", "Manage volumes", List.of(
                    new Verb("create", VolumeCreateCommand.class), new Verb("inspect", VolumeInspectCommand.class),
                    new Verb("ls", VolumeLsCommand.class, "list"), new Verb("prune", VolumePruneCommand.class),
                    new Verb("rm", VolumeRmCommand.class, "remove"), new Verb("export", VolumeExportCommand.class),
                    new Verb("import", VolumeImportCommand.class), new Verb("clone", VolumeCloneCommand.class))),
            new Group("image", "Manage images", List.of(
                    new Verb("import", ImportCommand.class), new Verb("inspect", ImageInspectCommand.class),
                    new Verb("pull", PullCommand.class), new Verb("push", PushCommand.class),
                    new Verb("save", SaveCommand.class), new Verb("load", LoadCommand.class),
                    new Verb("ls", ImagesCommand.class, "list"), new Verb("rm", RmiCommand.class, "remove"),
                    new Verb("tag", TagCommand.class), new Verb("build", BuildCommand.class),
                    new Verb("history", HistoryCommand.class), new Verb("prune", ImagePruneCommand.class))),
            new Group("builder", "Manage builds", List.of(new Verb("build", BuildCommand.class),
                    new Verb("prune", BuilderPruneCommand.class))),
            new Group("system", "Manage Docker", List.of(new Verb("info", InfoCommand.class),
                    new Verb("events", EventsCommand.class), new Verb("df", DfCommand.class),
                    new Verb("prune", SystemPruneCommand.class))));

    private CommandTree() {
    }

    /** The tree for {@code args}: the verb they name, or every verb when they name none that exists. */
    static CommandLine build(Cli cli, String[] args) {
        VerbFactory factory = new VerbFactory(cli);
        CommandLine root = command(BerthCommand.class, factory);
        List<String> words = words(root.getCommandSpec(), args);
        String first = words.isEmpty() ? null : words.get(0);
        boolean known = first != null && (TOP.stream().anyMatch(v -> v.answersTo(first))
                || GROUPS.stream().anyMatch(g -> g.name().equals(first)));
        for (Verb v : TOP) {
            if (!known || v.answersTo(first)) {
                root.addSubcommand(v.name(), verb(v, factory), v.aliases());
            }
        }
        for (Group g : GROUPS) {
            if (known && !g.name().equals(first)) {
                continue;
            }
            String second = known && words.size() > 1 ? words.get(1) : null;
            boolean knownChild = second != null && g.verbs().stream().anyMatch(v -> v.answersTo(second));
            CommandLine group = group(g, factory);
            for (Verb v : g.verbs()) {
                if (!knownChild || v.answersTo(second)) {
                    group.addSubcommand(v.name(), verb(v, factory), v.aliases());
                }
            }
            root.addSubcommand(g.name(), group);
        }
        root.setOverwrittenOptionsAllowed(true);
        root.setAllowOptionsAsOptionParameters(true);
        root.setUnmatchedOptionsAllowedAsOptionParameters(true);
        return root;
    }

    /** Every command class of the tree: the root, the groups and each verb once. */
    static List<Class<?>> commandClasses() {
        Set<Class<?>> types = new LinkedHashSet<>(List.of(BerthCommand.class, GroupCommand.class));
        TOP.forEach(v -> types.add(v.type()));
        GROUPS.forEach(g -> g.verbs().forEach(v -> types.add(v.type())));
        return List.copyOf(types);
    }

    /** The first two words that are not global options or their values: "-H x container ls -a" gives container, ls. */
    private static List<String> words(CommandSpec global, String[] args) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length && words.size() < 2; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-")) {
                words.add(arg);
                continue;
            }
            if (!words.isEmpty()) {
                break; // the verb's own flags: its arguments are no longer words of the tree
            }
            OptionSpec option = arg.contains("=") ? null : global.findOption(arg);
            if (option != null && option.arity().max() > 0) {
                i++; // its value
            }
        }
        return words;
    }

    private static CommandLine verb(Verb v, VerbFactory factory) {
        CommandLine verb = command(v.type(), factory);
        if (v.type() == RunCommand.class || v.type() == CreateCommand.class || v.type() == ExecCommand.class
                || v.type() == TopCommand.class) {
            // docker parses run/create/exec flags only up to the image or container: "run busybox ls -l" passes -l to
            // ls, "top c1 -o pid" passes -o pid to ps.
            verb.setStopAtPositional(true);
        }
        // The group form of a verb has its own name ("container ls" for ps), used in usage lines and errors.
        verb.getCommandSpec().name(v.name());
        return verb;
    }

    /**
     * A command built from its annotated class. The model is read from the class file ({@link ClassFileSpecs}): picocli's
     * reflection would make the JDK generate annotation proxies, the largest part of a short command's start-up.
     */
    private static CommandLine command(Class<?> type, VerbFactory factory) {
        CommandSpec spec = ClassFileSpecs.spec(type, factory);
        return new CommandLine(spec == null ? type : spec, factory);
    }

    private static CommandLine group(Group g, VerbFactory factory) {
        CommandLine group = command(GroupCommand.class, factory);
        CommandSpec spec = group.getCommandSpec();
        spec.name(g.name());
        spec.usageMessage().description(g.description());
        spec.usageMessage().customSynopsis("COMMAND");
        return group;
    }
}
