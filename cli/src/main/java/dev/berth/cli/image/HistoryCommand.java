package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.RowJson;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth history}: GET /images/{name}/history as docker's table (newest layer first). */
@Command(name = "history", customSynopsis = "[OPTIONS] IMAGE", description = "Show the history of an image")
public final class HistoryCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final Map<String, String> HEADERS = Map.of("ID", "IMAGE", "CreatedSince", "CREATED", "CreatedAt",
            "CREATED AT", "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-H", "--human"}, arity = "0..1", fallbackValue = "true",
            description = "Print sizes and dates in human readable format (default true)")
    boolean human = true;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = "--platform", paramLabel = "string", description = "Show history for the given platform")
    String platform;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public HistoryCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        JsonNode list = cli.client().json(ApiRequest.get("/images/" + ApiRequest.segment(args.getFirst()) + "/history"));
        String chosen = format == null || format.isEmpty() || format.equals("table") ? null : format;
        if (chosen == null) {
            chosen = quiet ? "{{.ID}}" : DEFAULT_FORMAT;
        }
        Instant now = Instant.now();
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode h : list) {
            rows.add(row(h, now));
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

    private Map<String, String> row(JsonNode h, Instant now) {
        Map<String, String> row = new LinkedHashMap<>();
        String id = h.path("Id").asText();
        row.put("ID", id.startsWith("sha256:") && !noTrunc ? Strings.truncateId(id) : id);
        Instant created = Instant.ofEpochSecond(h.path("Created").asLong());
        String createdAt = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(created.atZone(ZoneId.systemDefault())
                .withNano(0));
        row.put("CreatedSince", human ? Durations.humanDuration(Duration.between(created, now)) + " ago" : createdAt);
        row.put("CreatedAt", createdAt);
        String createdBy = h.path("CreatedBy").asText().replace("\t", " ");
        row.put("CreatedBy", noTrunc ? createdBy : Strings.ellipsis(createdBy, 45));
        long size = h.path("Size").asLong();
        row.put("Size", human ? Units.humanSizeWithPrecision(size, 3) : Long.toString(size));
        row.put("Comment", h.path("Comment").asText());
        return row;
    }
}
