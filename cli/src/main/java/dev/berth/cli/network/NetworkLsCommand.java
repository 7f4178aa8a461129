package dev.berth.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.RowJson;
import dev.berth.cli.format.ListFormat;
import dev.berth.cli.template.TemplateException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth network ls}: GET /networks, sorted by name, as docker's network formatter shows them. */
@Command(name = "ls", customSynopsis = "[OPTIONS]", description = "List networks")
public final class NetworkLsCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
    static final Map<String, String> HEADERS = Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER",
            "Scope", "SCOPE", "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"driver=bridge\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--no-trunc", description = "Do not truncate the output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only display network IDs")
    boolean quiet;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public NetworkLsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        JsonNode list = cli.client().json(ApiRequest.get("/networks")
                .query("filters", Filters.encode(cli.json(), filters)));
        List<JsonNode> sorted = new ArrayList<>();
        list.forEach(sorted::add);
        sorted.sort(Comparator.comparing(n -> n.path("Name").asText()));
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode n : sorted) {
            Map<String, String> row = new LinkedHashMap<>();
            String id = n.path("Id").asText();
            row.put("ID", noTrunc ? id : id.substring(0, Math.min(12, id.length())));
            row.put("Name", n.path("Name").asText());
            row.put("Driver", n.path("Driver").asText());
            row.put("Scope", n.path("Scope").asText());
            row.put("IPv6", Boolean.toString(n.path("EnableIPv6").asBoolean()));
            row.put("Internal", Boolean.toString(n.path("Internal").asBoolean()));
            List<String> labels = new ArrayList<>();
            n.path("Labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
            row.put("Labels", labels.stream().collect(Collectors.joining(",")));
            row.put("CreatedAt", n.path("Created").asText());
            rows.add(row);
        }
        String chosen = format == null || format.isEmpty() || format.equals("table") ? null : format;
        if (chosen == null) {
            chosen = quiet ? "{{.ID}}" : DEFAULT_FORMAT;
        }
        if (chosen.equals("json")) {
            RowJson.print(cli.json(), cli.out(), rows);
            return 0;
        }
        try {
            cli.out().print(ListFormat.of(chosen, DEFAULT_FORMAT).render(HEADERS, rows));
        } catch (TemplateException e) {
            throw new CliException(e.getMessage(), 1);
        }
        return 0;
    }
}
