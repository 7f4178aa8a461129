package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.RowJson;
import dev.berth.cli.CliException;
import dev.berth.cli.format.Durations;
import dev.berth.cli.format.ListFormat;
import dev.berth.cli.format.Strings;
import dev.berth.cli.format.Units;
import dev.berth.cli.template.TemplateException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth ps}: GET /containers/json rendered as docker's container table. */
@Command(name = "ps", customSynopsis = "[OPTIONS]", description = "List containers")
public final class PsCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("ID", "CONTAINER ID"),
            Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"), Map.entry("CreatedAt", "CREATED AT"),
            Map.entry("RunningFor", "CREATED"), Map.entry("Ports", "PORTS"), Map.entry("State", "STATE"),
            Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"), Map.entry("Names", "NAMES"),
            Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"), Map.entry("Networks", "NETWORKS"),
            Map.entry("LocalVolumes", "LOCAL VOLUMES"), Map.entry("Platform", "PLATFORM"));

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = FORMAT_HELP)
    String format;

    @Option(names = {"-n", "--last"}, paramLabel = "int",
            description = "Show n last created containers (includes all states) (default -1)")
    int last = -1;

    @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)")
    boolean latest;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public static final String FORMAT_HELP = "Format output using a custom template:\n"
            + "'table':            Print output in table format with column headers (default)\n"
            + "'table TEMPLATE':   Print output in table format using the given Go template\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with "
            + "templates";

    public PsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        String chosen = format == null || format.isEmpty() || format.equals("table") ? null : format;
        if (chosen == null) {
            chosen = quiet ? "{{.ID}}" : size ? DEFAULT_FORMAT + "\t{{.Size}}" : DEFAULT_FORMAT;
        }
        boolean wantSize = size || chosen.contains(".Size");
        int limit = latest && last == -1 ? 1 : last;
        JsonNode list = cli.client().json(ApiRequest.get("/containers/json")
                .query("all", all ? "1" : null)
                .query("limit", limit > 0 ? Integer.toString(limit) : null)
                .query("size", wantSize ? "1" : null)
                .query("filters", Filters.encode(cli, filters)));
        Instant now = Instant.now();
        List<Map<String, String>> rows = new ArrayList<>();
        List<ContainerRow> contexts = new ArrayList<>();
        for (JsonNode c : list) {
            Map<String, String> row = row(c, !noTrunc, now);
            Map<String, String> labels = new LinkedHashMap<>();
            c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            rows.add(row);
            contexts.add(new ContainerRow(row, labels));
        }
        if (chosen.equals("json")) {
            RowJson.print(cli.json(), cli.out(), rows);
            return 0;
        }
        try {
            cli.out().print(ListFormat.of(chosen, DEFAULT_FORMAT).render(HEADERS, contexts));
        } catch (TemplateException e) {
            throw new CliException(e.getMessage(), 1);
        }
        return 0;
    }

    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    public static Map<String, String> row(JsonNode c, boolean trunc, Instant now) {
        Map<String, String> row = new LinkedHashMap<>();
        String id = c.path("Id").asText();
        row.put("Command", Strings.psCommand(c.path("Command").asText(), trunc));
        long created = c.path("Created").asLong();
        row.put("CreatedAt", CREATED_AT.format(Instant.ofEpochSecond(created).atZone(ZoneId.systemDefault())));
        row.put("ID", trunc ? Strings.truncateId(id) : id);
        row.put("Image", image(c, trunc));
        row.put("Labels", labels(c.path("Labels")));
        int volumes = 0;
        List<String> mounts = new ArrayList<>();
        for (JsonNode m : c.path("Mounts")) {
            if (m.path("Type").asText().equals("volume")) {
                volumes++;
            }
            String name = m.path("Name").asText("");
            if (name.isEmpty()) {
                name = m.path("Source").asText("");
            }
            mounts.add(trunc ? Strings.ellipsis(name, 15) : name);
        }
        row.put("LocalVolumes", Integer.toString(volumes));
        row.put("Mounts", String.join(",", mounts));
        row.put("Names", names(c.path("Names"), trunc));
        TreeSet<String> networks = new TreeSet<>();
        c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(networks::add);
        row.put("Networks", String.join(",", networks));
        row.put("Platform", null);
        row.put("Ports", Ports.display(c.path("Ports")));
        row.put("RunningFor", Durations.humanDuration(Duration.between(Instant.ofEpochSecond(created), now)) + " ago");
        String size = Units.humanSizeWithPrecision(c.path("SizeRw").asLong(), 3);
        long rootFs = c.path("SizeRootFs").asLong();
        row.put("Size", rootFs > 0 ? size + " (virtual " + Units.humanSizeWithPrecision(rootFs, 3) + ")" : size);
        row.put("State", c.path("State").asText());
        row.put("Status", c.path("Status").asText());
        return row;
    }


    private static String image(JsonNode c, boolean trunc) {
        String image = c.path("Image").asText("");
        if (image.isEmpty()) {
            return "<no image>";
        }
        if (trunc) {
            String imageId = c.path("ImageID").asText("");
            if (Strings.truncateId(imageId).equals(Strings.truncateId(image))) {
                return Strings.truncateId(image);
            }
            int at = image.indexOf('@');
            if (at > 0) {
                return image.substring(0, at);
            }
        }
        return image;
    }

    private static String names(JsonNode names, boolean trunc) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : names) {
            String name = n.asText();
            if (name.startsWith("/")) {
                name = name.substring(1);
            }
            // Legacy link names ("/other/alias") are hidden in the truncated view.
            if (trunc && name.contains("/")) {
                continue;
            }
            out.add(name);
        }
        return String.join(",", out);
    }

    private static String labels(JsonNode labels) {
        List<String> out = new ArrayList<>();
        labels.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(",", out);
    }

}
