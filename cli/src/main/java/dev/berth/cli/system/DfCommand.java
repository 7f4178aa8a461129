package dev.berth.cli.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.RowJson;
import dev.berth.cli.container.PsCommand;
import dev.berth.cli.format.Durations;
import dev.berth.cli.format.ListFormat;
import dev.berth.cli.format.Units;
import dev.berth.cli.image.ImagesCommand;
import dev.berth.cli.template.TemplateException;
import java.time.Instant;
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
 * {@code berth system df}: GET /system/df, summed per type the way docker's disk-usage formatter does (TOTAL, ACTIVE,
 * SIZE, RECLAIMABLE with its percentage), or with {@code -v} one table per type.
 */
@Command(name = "df", customSynopsis = "[OPTIONS]", description = "Show docker disk usage")
public final class DfCommand implements Callable<Integer> {
    static final String SUMMARY_FORMAT = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    static final Map<String, String> SUMMARY_HEADERS = Map.of("Type", "TYPE", "TotalCount", "TOTAL", "Active", "ACTIVE",
            "Size", "SIZE", "Reclaimable", "RECLAIMABLE");
    static final String IMAGES_FORMAT = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
            + "\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}";
    static final String CONTAINERS_FORMAT = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}"
            + "\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}";
    static final String VOLUMES_FORMAT = "table {{.Name}}\t{{.Links}}\t{{.Size}}";
    static final Map<String, String> VOLUME_HEADERS = Map.of("Name", "VOLUME NAME", "Links", "LINKS", "Size", "SIZE");
    static final String CACHE_FORMAT = "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}"
            + "\t{{.UsageCount}}\t{{.Shared}}";
    static final Map<String, String> CACHE_HEADERS = Map.of("ID", "CACHE ID", "CacheType", "CACHE TYPE", "Size", "SIZE",
            "CreatedSince", "CREATED", "LastUsedSince", "LAST USED", "UsageCount", "USAGE", "Shared", "SHARED");

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template:\n"
            + "'table':            Print output in table format with column headers (default)\n"
            + "'table TEMPLATE':   Print output in table format using the given Go template\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates")
    String format;

    @Option(names = {"-v", "--verbose"}, description = "Show detailed information on space usage")
    boolean verbose;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public DfCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        JsonNode df = cli.client().json(ApiRequest.get("/system/df"));
        try {
            if (verbose) {
                cli.out().print(verbose(df, Instant.now()));
                return 0;
            }
            List<Map<String, String>> rows = summary(df);
            if ("json".equals(format)) {
                RowJson.print(cli.json(), cli.out(), rows);
                return 0;
            }
            cli.out().print(ListFormat.of(format, SUMMARY_FORMAT).render(SUMMARY_HEADERS, rows));
        } catch (TemplateException e) {
            throw new CliException(e.getMessage(), 1);
        }
        return 0;
    }

    /** The four summary rows, with docker's sums (cli/command/formatter/disk_usage.go). */
    static List<Map<String, String>> summary(JsonNode df) {
        List<Map<String, String>> rows = new ArrayList<>();

        long layers = df.path("LayersSize").asLong();
        int activeImages = 0;
        long usedByActive = 0;
        for (JsonNode i : df.path("Images")) {
            if (i.path("Containers").asLong() > 0) {
                activeImages++;
                if (i.path("Size").asLong() != -1 && i.path("SharedSize").asLong() != -1) {
                    usedByActive += i.path("Size").asLong() - i.path("SharedSize").asLong();
                }
            }
        }
        rows.add(row("Images", df.path("Images").size(), activeImages, layers, layers - usedByActive, true));

        int activeContainers = 0;
        long containersSize = 0;
        long containersReclaimable = 0;
        for (JsonNode c : df.path("Containers")) {
            String state = c.path("State").asText();
            boolean active = state.contains("running") || state.contains("paused") || state.contains("restarting");
            long rw = c.path("SizeRw").asLong();
            containersSize += rw;
            if (active) {
                activeContainers++;
            } else {
                containersReclaimable += rw;
            }
        }
        rows.add(row("Containers", df.path("Containers").size(), activeContainers, containersSize, containersReclaimable,
                true));

        int activeVolumes = 0;
        long volumesSize = 0;
        long volumesReclaimable = 0;
        for (JsonNode v : df.path("Volumes")) {
            JsonNode usage = v.path("UsageData");
            long size = usage.path("Size").asLong(-1);
            if (usage.path("RefCount").asLong() > 0) {
                activeVolumes++;
            } else if (size != -1) {
                volumesReclaimable += size;
            }
            if (size != -1) {
                volumesSize += size;
            }
        }
        rows.add(row("Local Volumes", df.path("Volumes").size(), activeVolumes, volumesSize, volumesReclaimable, true));

        int activeCache = 0;
        long cacheSize = 0;
        long cacheReclaimable = 0;
        for (JsonNode b : df.path("BuildCache")) {
            boolean inUse = b.path("InUse").asBoolean();
            boolean shared = b.path("Shared").asBoolean();
            if (inUse) {
                activeCache++;
            }
            if (!shared) {
                cacheSize += b.path("Size").asLong();
                if (!inUse) {
                    cacheReclaimable += b.path("Size").asLong();
                }
            }
        }
        rows.add(row("Build Cache", df.path("BuildCache").size(), activeCache, cacheSize, cacheReclaimable, false));
        return rows;
    }

    private static Map<String, String> row(String type, int total, int active, long size, long reclaimable,
            boolean percent) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Type", type);
        row.put("TotalCount", Integer.toString(total));
        row.put("Active", Integer.toString(active));
        row.put("Size", Units.humanSize(size));
        row.put("Reclaimable", percent && size > 0
                ? Units.humanSize(reclaimable) + " (" + (reclaimable * 100 / size) + "%)" : Units.humanSize(reclaimable));
        return row;
    }

    /** {@code -v}: docker's four tables, each under its title. */
    static String verbose(JsonNode df, Instant now) throws TemplateException {
        StringBuilder out = new StringBuilder("Images space usage:\n\n");
        List<Map<String, String>> images = new ArrayList<>();
        for (JsonNode i : df.path("Images")) {
            images.add(ImagesCommand.rows(i, true, false, now).getFirst()); // the first tag only, as docker shows it
        }
        out.append(ListFormat.of(IMAGES_FORMAT, IMAGES_FORMAT).render(ImagesCommand.HEADERS, images));

        out.append("\nContainers space usage:\n\n");
        List<Map<String, String>> containers = new ArrayList<>();
        for (JsonNode c : df.path("Containers")) {
            Map<String, String> row = PsCommand.row(c, true, now);
            row.put("Size", Units.humanSizeWithPrecision(c.path("SizeRw").asLong(), 3)); // no virtual size here
            containers.add(row);
        }
        out.append(ListFormat.of(CONTAINERS_FORMAT, CONTAINERS_FORMAT).render(PsCommand.HEADERS, containers));

        out.append("\nLocal Volumes space usage:\n\n");
        List<Map<String, String>> volumes = new ArrayList<>();
        for (JsonNode v : df.path("Volumes")) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("Name", v.path("Name").asText());
            long size = v.path("UsageData").path("Size").asLong(-1);
            row.put("Links", Long.toString(v.path("UsageData").path("RefCount").asLong(-1)));
            row.put("Size", size == -1 ? "N/A" : Units.humanSize(size));
            volumes.add(row);
        }
        out.append(ListFormat.of(VOLUMES_FORMAT, VOLUMES_FORMAT).render(VOLUME_HEADERS, volumes));

        List<Map<String, String>> rows = summary(df);
        out.append("\nBuild cache usage: ").append(rows.getLast().get("Size")).append("\n\n");
        List<Map<String, String>> cache = new ArrayList<>();
        for (JsonNode b : df.path("BuildCache")) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("ID", b.path("ID").asText().length() > 12 ? b.path("ID").asText().substring(0, 12) : b.path("ID").asText());
            row.put("CacheType", b.path("Type").asText());
            row.put("Size", Units.humanSizeWithPrecision(b.path("Size").asLong(), 3));
            row.put("CreatedSince", since(b.path("CreatedAt").asText(""), now));
            row.put("LastUsedSince", since(b.path("LastUsedAt").asText(""), now));
            row.put("UsageCount", Long.toString(b.path("UsageCount").asLong()));
            row.put("Shared", Boolean.toString(b.path("Shared").asBoolean()));
            cache.add(row);
        }
        out.append(ListFormat.of(CACHE_FORMAT, CACHE_FORMAT).render(CACHE_HEADERS, cache));
        return out.toString();
    }

    private static String since(String rfc3339, Instant now) {
        return rfc3339.isEmpty() || rfc3339.startsWith("0001-") ? ""
                : Durations.humanDuration(java.time.Duration.between(java.time.OffsetDateTime.parse(rfc3339).toInstant(), now))
                        + " ago";
    }
}
