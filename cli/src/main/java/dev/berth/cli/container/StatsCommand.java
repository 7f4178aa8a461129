package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.RowJson;
import dev.berth.cli.format.ListFormat;
import dev.berth.cli.template.TemplateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth stats}: one row per container from GET /containers/{c}/stats. With {@code --no-stream} each container is
 * read once (stream=0, the daemon takes a second reading so CPU % is real) and the table printed once. Otherwise every
 * container's stream is followed, and the table is redrawn each second; on a terminal it is drawn over the previous
 * one, as docker does. Without names, the running containers (all with -a) are shown, and the list is refreshed each
 * second so containers that start later appear.
 */
@Command(name = "stats", customSynopsis = "[OPTIONS] [CONTAINER...]",
        description = "Display a live stream of container(s) resource usage statistics")
public final class StatsCommand implements java.util.concurrent.Callable<Integer> {
    static final String DEFAULT_FORMAT =
            "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    static final Map<String, String> HEADERS = Map.of("Container", "CONTAINER", "ID", "CONTAINER ID", "Name", "NAME",
            "CPUPerc", "CPU %", "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O",
            "BlockIO", "BLOCK I/O", "PIDs", "PIDS");

    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template:\n"
            + "'table':            Print output in table format with column headers (default)\n"
            + "'table TEMPLATE':   Print output in table format using the given Go template\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with "
            + "templates")
    String format;

    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;

    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;

    @Parameters(arity = "0..*")
    List<String> containers = List.of();

    public StatsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        ListFormat listFormat;
        String chosen = format == null || format.isEmpty() ? DEFAULT_FORMAT : format;
        try {
            listFormat = ListFormat.of(chosen, DEFAULT_FORMAT);
        } catch (TemplateException e) {
            throw new CliException(e.getMessage(), 1);
        }
        boolean named = !containers.isEmpty();
        if (named) {
            for (String c : containers) {
                cli.client().json(ApiRequest.get("/containers/" + ApiRequest.segment(c) + "/json"));
            }
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            if (noStream) {
                List<String> targets = named ? containers : listed();
                List<Future<Map<String, String>>> rows = new ArrayList<>();
                for (String c : targets) {
                    rows.add(pool.submit(() -> once(c)));
                }
                List<Map<String, String>> out = new ArrayList<>();
                for (Future<Map<String, String>> f : rows) {
                    out.add(f.get());
                }
                print(listFormat, chosen, out, false);
                return 0;
            }
            return follow(pool, listFormat, chosen, named);
        }
    }

    private Map<String, String> once(String container) throws IOException {
        JsonNode stats = cli.client().json(ApiRequest.get("/containers/" + ApiRequest.segment(container) + "/stats")
                .query("stream", "0"));
        return StatsRow.of(stats, container, !noTrunc);
    }

    /** Follows each container's stream on its own thread; redraws every second until interrupted (Ctrl-C). */
    private int follow(ExecutorService pool, ListFormat listFormat, String chosen, boolean named) throws Exception {
        Map<String, Map<String, String>> latest = new ConcurrentHashMap<>();
        Map<String, Future<?>> followers = new LinkedHashMap<>();
        boolean terminal = cli.stdoutIsTerminal();
        if (terminal) {
            cli.out().print("\033[2J");
        }
        while (true) {
            List<String> targets = named ? containers : listed();
            for (String c : targets) {
                followers.computeIfAbsent(c, k -> pool.submit(() -> stream(k, latest)));
            }
            if (!named) {
                followers.keySet().removeIf(k -> {
                    if (targets.contains(k)) {
                        return false;
                    }
                    followers.get(k).cancel(true);
                    latest.remove(k);
                    return true;
                });
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (String c : targets) {
                Map<String, String> row = latest.get(c);
                if (row != null) {
                    rows.add(row);
                }
            }
            print(listFormat, chosen, rows, terminal);
            Thread.sleep(1000);
        }
    }

    private Void stream(String container, Map<String, Map<String, String>> latest) throws IOException {
        try (ApiResponse response = cli.client().send(ApiRequest.get("/containers/" + ApiRequest.segment(container)
                + "/stats").query("stream", "1"));
                MappingIterator<JsonNode> readings = cli.json().readerFor(JsonNode.class).readValues(response.body())) {
            while (readings.hasNext()) {
                latest.put(container, StatsRow.of(readings.next(), container, !noTrunc));
            }
        } catch (ApiException e) {
            latest.remove(container);
        }
        return null;
    }

    /** The containers to show when none are named: the running ones, or all with -a; by ID. */
    private List<String> listed() throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonNode c : cli.client().json(ApiRequest.get("/containers/json").query("all", all ? "1" : null))) {
            ids.add(c.path("Id").asText());
        }
        return ids;
    }

    private void print(ListFormat listFormat, String chosen, List<Map<String, String>> rows, boolean redraw)
            throws IOException {
        String text;
        if (chosen.equals("json")) {
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
            try (java.io.PrintStream ps = new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8)) {
                RowJson.print(cli.json(), ps, rows);
            }
            text = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            try {
                text = listFormat.render(HEADERS, rows);
            } catch (TemplateException e) {
                throw new CliException(e.getMessage(), 1);
            }
        }
        if (redraw) {
            // Draw over the previous table: home, each line cleared to its end, then the rest of the screen.
            StringBuilder screen = new StringBuilder("\033[H");
            for (String line : text.split("\n", -1)) {
                screen.append(line).append("\033[K\n");
            }
            screen.setLength(screen.length() - 1);
            text = screen.append("\033[J").toString();
        }
        cli.out().print(text);
        cli.out().flush();
    }
}
