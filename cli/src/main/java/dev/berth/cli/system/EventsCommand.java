package dev.berth.cli.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.Durations;
import dev.berth.cli.template.JsonModel;
import dev.berth.cli.template.Template;
import dev.berth.cli.template.TemplateException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth events}: GET /events, printing each event as it arrives, in docker's line format
 * ({@code 2024-01-01T00:00:00.000000000Z container start <id> (image=busybox, name=c1)}) or through {@code --format}.
 * Runs until {@code --until} passes or the user interrupts it.
 */
@Command(name = "events", customSynopsis = "[OPTIONS]", description = "Get real time events from the server")
public final class EventsCommand implements Callable<Integer> {
    /** jsonmessage.RFC3339NanoFixed: always nine fractional digits, "Z" for UTC. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnnXXX");
    private static final JsonModel MODEL = JsonModel.mapsAt("Actor.Attributes");

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template:\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with "
            + "templates")
    String format;

    @Option(names = "--since", paramLabel = "string", description = "Show all events created since timestamp")
    String since;

    @Option(names = "--until", paramLabel = "string", description = "Stream events until this timestamp")
    String until;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public EventsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        Template template = template();
        Instant now = Instant.now();
        ApiRequest request = ApiRequest.get("/events")
                .query("since", timestamp(since, now))
                .query("until", timestamp(until, now))
                .query("filters", Filters.encode(cli, filters));
        try (ApiResponse response = cli.client().send(request);
                BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                cli.out().print(render(template, line, cli.json().readTree(line)));
                cli.out().flush();
            }
        }
        return 0;
    }

    /** Null for docker's default line; the raw line for {@code json}; else the parsed template. */
    private Template template() {
        if (format == null || format.isEmpty() || format.equals("json") || format.equals("{{json .}}")) {
            return null;
        }
        try {
            return Template.parse(format.replace("\\t", "\t").replace("\\n", "\n"));
        } catch (TemplateException e) {
            throw new CliException("template parsing error: " + e.getMessage(), 64);
        }
    }

    private String render(Template template, String line, JsonNode event) {
        if (format != null && (format.equals("json") || format.equals("{{json .}}"))) {
            return line.strip() + "\n";
        }
        if (template == null) {
            return prettyLine(event, ZoneId.systemDefault());
        }
        try {
            return template.execute(MODEL.convert(goFields(event))) + "\n";
        } catch (TemplateException e) {
            throw new CliException("template parsing error: " + e.getMessage(), 1);
        }
    }

    /** Docker's prettyPrintEvent: time, type, action, actor ID, then the attributes sorted by key. */
    static String prettyLine(JsonNode e, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        long nanos = e.path("timeNano").asLong(0);
        if (nanos != 0) {
            out.append(TIME.format(Instant.ofEpochSecond(0, nanos).atZone(zone))).append(' ');
        } else if (e.path("time").asLong(0) != 0) {
            out.append(TIME.format(Instant.ofEpochSecond(e.path("time").asLong()).atZone(zone))).append(' ');
        }
        out.append(e.path("Type").asText()).append(' ').append(e.path("Action").asText()).append(' ')
                .append(e.path("Actor").path("ID").asText());
        TreeMap<String, String> attributes = new TreeMap<>();
        e.path("Actor").path("Attributes").properties().forEach(a -> attributes.put(a.getKey(), a.getValue().asText()));
        if (!attributes.isEmpty()) {
            List<String> parts = new ArrayList<>();
            attributes.forEach((k, v) -> parts.add(k + "=" + v));
            out.append(" (").append(String.join(", ", parts)).append(')');
        }
        return out.append('\n').toString();
    }

    /** The event as Go's events.Message struct names its fields, which is what templates see. */
    private ObjectNode goFields(JsonNode e) {
        ObjectNode m = cli.json().createObjectNode();
        m.put("Status", e.path("status").asText(""));
        m.put("ID", e.path("id").asText(""));
        m.put("From", e.path("from").asText(""));
        m.put("Type", e.path("Type").asText(""));
        m.put("Action", e.path("Action").asText(""));
        m.set("Actor", e.path("Actor").deepCopy());
        m.put("Scope", e.path("scope").asText(""));
        m.put("Time", e.path("time").asLong());
        m.put("TimeNano", e.path("timeNano").asLong());
        return m;
    }

    private static String timestamp(String value, Instant now) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Durations.timestamp(value, now, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 1);
        }
    }
}
