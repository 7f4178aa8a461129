package dev.berth.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.RowJson;
import dev.berth.cli.format.ListFormat;
import dev.berth.cli.format.Strings;
import dev.berth.cli.template.TemplateException;
import java.util.ArrayList;
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

/**
 * {@code berth search}: GET /images/search as docker's table. The daemon asks the registry the term names (Docker Hub
 * unless the term starts with a registry host, as {@code localhost:5000/app}); credentials for that registry go along.
 */
@Command(name = "search", customSynopsis = "[OPTIONS] TERM", description = "Search Docker Hub for images")
public final class SearchCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";
    static final Map<String, String> HEADERS = Map.of("Name", "NAME", "Description", "DESCRIPTION", "StarCount",
            "STARS", "IsOfficial", "OFFICIAL", "IsAutomated", "AUTOMATED");
    /** docker's description column width before the ellipsis. */
    private static final int DESCRIPTION_WIDTH = 45;

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Pretty-print search using a Go template")
    String format;

    @Option(names = "--limit", paramLabel = "int", description = "Max number of search results")
    int limit;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public SearchCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        String term = args.getFirst();
        JsonNode results = cli.client().json(ApiRequest.get("/images/search").query("term", term)
                .query("limit", limit > 0 ? Integer.toString(limit) : null) // as docker: only a positive limit is sent
                .query("filters", Filters.encode(cli, filters))
                .header("X-Registry-Auth", new DockerConfigFile(cli.json(), cli.env()).header(registry(term))));
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode r : results) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("Name", r.path("name").asText());
            String description = r.path("description").asText().replace('\n', ' ').replace('\r', ' ');
            row.put("Description", noTrunc ? description : Strings.ellipsis(description, DESCRIPTION_WIDTH));
            row.put("StarCount", Integer.toString(r.path("star_count").asInt()));
            row.put("IsOfficial", r.path("is_official").asBoolean() ? "[OK]" : "");
            row.put("IsAutomated", r.path("is_automated").asBoolean() ? "[OK]" : "");
            rows.add(row);
        }
        String chosen = format == null || format.isEmpty() || format.equals("table") ? DEFAULT_FORMAT : format;
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

    /** The registry a term names: its first component when that is a host, else Docker Hub. */
    private static String registry(String term) {
        int slash = term.indexOf('/');
        if (slash > 0) {
            String first = term.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }
}
