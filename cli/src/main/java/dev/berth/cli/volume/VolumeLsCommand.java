package dev.berth.cli.volume;

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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth volume ls}: GET /volumes, sorted by name, Docker's DRIVER / VOLUME NAME table. */
@Command(name = "ls", customSynopsis = "[OPTIONS]", description = "List volumes")
public final class VolumeLsCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT = "table {{.Driver}}\t{{.Name}}";
    private static final Map<String, String> HEADERS = Map.of("Driver", "DRIVER", "Name", "VOLUME NAME",
            "Mountpoint", "MOUNTPOINT", "Scope", "SCOPE", "Labels", "LABELS", "CreatedAt", "CREATED AT",
            "Links", "LINKS", "Size", "SIZE", "Availability", "AVAILABILITY", "Group", "GROUP");

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Provide filter values (e.g. \"dangling=true\")")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
    boolean quiet;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VolumeLsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        String chosen = format == null || format.isEmpty() || format.equals("table") ? null : format;
        if (chosen == null) {
            chosen = quiet ? "{{.Name}}" : DEFAULT_FORMAT;
        }
        JsonNode list = cli.client().json(ApiRequest.get("/volumes").query("filters", Filters.encode(cli.json(), filters)));
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode v : list.path("Volumes")) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("Driver", v.path("Driver").asText());
            row.put("Name", v.path("Name").asText());
            row.put("Mountpoint", v.path("Mountpoint").asText());
            row.put("Scope", v.path("Scope").asText());
            row.put("CreatedAt", v.path("CreatedAt").asText());
            List<String> labels = new ArrayList<>();
            v.path("Labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
            row.put("Labels", String.join(",", labels));
            row.put("Links", "N/A");
            row.put("Size", "N/A");
            row.put("Availability", "N/A");
            row.put("Group", "N/A");
            rows.add(row);
        }
        rows.sort(Comparator.comparing(r -> r.get("Name")));
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
