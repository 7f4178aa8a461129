package dev.berth.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Renders --help in the docker CLI's layout (cobra usage template with pflag's wrapped flag table) rather than
 * picocli's, so users see the screens they know. The option's {@code paramLabel} plays pflag's type word ("string",
 * "int", "list"); descriptions already carry docker's "(default ...)" suffix where docker prints one.
 */
final class DockerHelp {
    /** docker/cli wraps flag usages at the terminal width minus one, 80 columns when not on a terminal. */
    private static final int COLUMNS = 79;

    private DockerHelp() {
    }

    static String usageLine(CommandSpec spec) {
        return qualifiedName(spec) + (spec.usageMessage().customSynopsis().length > 0
                ? " " + spec.usageMessage().customSynopsis()[0]
                : "");
    }

    static String qualifiedName(CommandSpec spec) {
        return spec.qualifiedName(" ");
    }

    static String render(CommandSpec spec) {
        List<String> sections = new ArrayList<>();
        sections.add("Usage:  " + usageLine(spec) + "\n");
        String[] description = spec.usageMessage().description();
        if (description.length > 0) {
            sections.add(String.join("\n", description).strip() + "\n");
        }
        String aliases = aliases(spec);
        if (aliases != null) {
            sections.add("Aliases:\n  " + aliases + "\n");
        }
        if (spec.parent() == null) {
            sections.add(commandList(spec, "Common Commands:", COMMON::contains, COMMON));
            sections.add(commandList(spec, "Management Commands:", n -> isGroup(spec, n), null));
            sections.add(commandList(spec, "Commands:", n -> !COMMON.contains(n) && !isGroup(spec, n), null));
        } else if (!spec.subcommands().isEmpty()) {
            sections.add(commandList(spec, "Commands:", n -> true, null));
        }
        String flags = flagUsages(spec);
        if (!flags.isEmpty()) {
            sections.add((spec.parent() == null ? "Global Options:\n" : "Options:\n") + flags);
        }
        if (!spec.subcommands().isEmpty()) {
            sections.add("Run '" + qualifiedName(spec) + " COMMAND --help' for more information on a command.\n");
        }
        return String.join("\n", sections);
    }

    /** The root help's "Common Commands", in docker's order. */
    private static final List<String> COMMON = List.of("run", "ps", "build", "images", "version", "info");

    private static boolean isGroup(CommandSpec root, String name) {
        return !root.subcommands().get(name).getSubcommands().isEmpty();
    }

    /** Lists subcommands that pass {@code filter}, in {@code order} when given, else alphabetically. */
    private static String commandList(CommandSpec spec, String title, java.util.function.Predicate<String> filter,
            List<String> order) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        spec.subcommands().entrySet().stream()
                .filter(e -> e.getKey().equals(e.getValue().getCommandSpec().name()))
                .filter(e -> filter.test(e.getKey()))
                .sorted(order == null ? Map.Entry.comparingByKey()
                        : Comparator.comparing((Map.Entry<String, CommandLine> e) -> order.indexOf(e.getKey())))
                .forEach(e -> sb.append(String.format("  %-11s %s%n", e.getKey(),
                        String.join(" ", e.getValue().getCommandSpec().usageMessage().description()))));
        return sb.toString();
    }

    /** docker lists every path that reaches the verb: "docker container ls, docker container list, docker ps". */
    private static String aliases(CommandSpec spec) {
        if (spec.parent() == null) {
            return null;
        }
        String root = spec.root().name();
        String group;
        String name;
        if (spec.parent().parent() != null) {
            group = spec.parent().name();
            name = spec.name();
        } else {
            group = GROUP_OF.get(spec.name());
            if (group == null) {
                return null;
            }
            name = CANONICAL.getOrDefault(spec.name(), spec.name());
        }
        String key = group + " " + name;
        if (!TOP_LEVEL.containsKey(key) && !GROUP_ALIASES.containsKey(key)) {
            return null;
        }
        List<String> all = new ArrayList<>();
        all.add(root + " " + key);
        for (String alias : GROUP_ALIASES.getOrDefault(key, List.of())) {
            all.add(root + " " + group + " " + alias);
        }
        String top = TOP_LEVEL.get(key);
        if (top != null) {
            all.add(root + " " + top);
        }
        return String.join(", ", all);
    }

    /** Verbs reachable both as "berth GROUP NAME" and "berth TOP". */
    private static final Map<String, String> TOP_LEVEL = Map.ofEntries(
            Map.entry("container run", "run"), Map.entry("container create", "create"),
            Map.entry("container start", "start"), Map.entry("container stop", "stop"),
            Map.entry("container restart", "restart"), Map.entry("container kill", "kill"),
            Map.entry("container wait", "wait"), Map.entry("container rm", "rm"), Map.entry("container ls", "ps"),
            Map.entry("container logs", "logs"), Map.entry("container attach", "attach"),
            Map.entry("container export", "export"), Map.entry("image ls", "images"), Map.entry("image rm", "rmi"),
            Map.entry("image tag", "tag"), Map.entry("image import", "import"), Map.entry("system info", "info"),
            Map.entry("image build", "build"), Map.entry("image history", "history"),
            Map.entry("container commit", "commit"), Map.entry("container diff", "diff"));

    private static final Map<String, String> GROUP_OF = Map.ofEntries(
            Map.entry("run", "container"), Map.entry("create", "container"), Map.entry("start", "container"),
            Map.entry("stop", "container"), Map.entry("restart", "container"), Map.entry("kill", "container"),
            Map.entry("wait", "container"), Map.entry("rm", "container"), Map.entry("ps", "container"),
            Map.entry("logs", "container"), Map.entry("attach", "container"), Map.entry("export", "container"),
            Map.entry("images", "image"), Map.entry("rmi", "image"), Map.entry("tag", "image"),
            Map.entry("import", "image"), Map.entry("info", "system"),
            Map.entry("build", "image"), Map.entry("history", "image"), Map.entry("commit", "container"),
            Map.entry("diff", "container"));

    private static final Map<String, String> CANONICAL = Map.of("ps", "ls", "images", "ls", "rmi", "rm");

    static final Map<String, List<String>> GROUP_ALIASES = Map.of("container ls", List.of("list", "ps"),
            "container rm", List.of("remove"), "image ls", List.of("list"), "image rm", List.of("remove"));

    static String flagUsages(CommandSpec spec) {
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden() && !o.usageHelp()) {
                options.add(o);
            }
        }
        options.sort(Comparator.comparing(DockerHelp::longName));
        List<String[]> lines = new ArrayList<>();
        int maxlen = 0;
        for (OptionSpec o : options) {
            String shortName = shortName(o);
            String line = shortName != null ? "  " + shortName + ", " + longName(o) : "      " + longName(o);
            String type = o.paramLabel();
            if (!o.typeInfo().isBoolean() && type != null && !type.isEmpty() && !type.startsWith("<")) {
                line += " " + type;
            }
            maxlen = Math.max(maxlen, line.length() + 1);
            lines.add(new String[] {line, String.join("\n", o.description())});
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            int sidx = line[0].length();
            sb.append(line[0]).append(' ').append(" ".repeat(maxlen - sidx)).append(' ')
                    .append(wrap(maxlen + 2, COLUMNS, line[1])).append('\n');
        }
        return sb.toString();
    }

    private static String shortName(OptionSpec o) {
        for (String n : o.names()) {
            if (n.length() == 2 && n.charAt(0) == '-' && n.charAt(1) != '-') {
                return n;
            }
        }
        return null;
    }

    private static String longName(OptionSpec o) {
        for (String n : o.names()) {
            if (n.startsWith("--")) {
                return n;
            }
        }
        return o.longestName();
    }

    /** pflag's wrap: text starts at column {@code indent}; lines may run 5 columns long to avoid orphan words. */
    static String wrap(int indent, int width, String text) {
        int room = width - indent;
        String pad = " ".repeat(indent);
        StringBuilder r = new StringBuilder();
        if (room < 24) {
            return text.replace("\n", "\n" + pad);
        }
        int slop = 5;
        room -= slop;
        String[] split = wrapN(room, slop, text);
        r.append(split[0].replace("\n", "\n" + pad));
        String rest = split[1];
        while (!rest.isEmpty()) {
            split = wrapN(room, slop, rest);
            r.append('\n').append(pad).append(split[0].replace("\n", "\n" + pad));
            rest = split[1];
        }
        return r.toString();
    }

    private static String[] wrapN(int i, int slop, String s) {
        if (i + slop > s.length()) {
            return new String[] {s, ""};
        }
        String head = s.substring(0, i);
        int w = Math.max(Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t')), head.lastIndexOf('\n'));
        if (w <= 0) {
            return new String[] {s, ""};
        }
        int nl = head.lastIndexOf('\n');
        if (nl > 0 && nl < w) {
            return new String[] {s.substring(0, nl), s.substring(nl + 1)};
        }
        return new String[] {s.substring(0, w), s.substring(w + 1)};
    }

    /** Hook for picocli: every command prints this renderer's text instead of picocli's own layout. */
    static void install(CommandLine commandLine) {
        commandLine.setHelpFactory((spec, scheme) -> new CommandLine.Help(spec, scheme) {
            @Override
            public String fullSynopsis() {
                return render(spec);
            }
        });
        commandLine.setHelpSectionKeys(List.of(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS));
    }
}
