package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.Filters;
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

/**
 * {@code berth images}: GET /images/json shown one row per repository:tag (docker's image formatter), a
 * "&lt;none&gt;" row for untagged images, and digest rows with --digests.
 */
@Command(name = "images", customSynopsis = "[OPTIONS] [REPOSITORY[:TAG]]", description = "List images")
public final class ImagesCommand implements Callable<Integer> {
    static final String DEFAULT_FORMAT = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    static final String DIGEST_FORMAT =
            "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    public static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("Repository", "REPOSITORY"),
            Map.entry("Tag", "TAG"), Map.entry("Digest", "DIGEST"), Map.entry("ID", "IMAGE ID"),
            Map.entry("CreatedSince", "CREATED"), Map.entry("CreatedAt", "CREATED AT"), Map.entry("Size", "SIZE"),
            Map.entry("Containers", "CONTAINERS"), Map.entry("VirtualSize", "SIZE"),
            Map.entry("SharedSize", "SHARED SIZE"), Map.entry("UniqueSize", "UNIQUE SIZE"));

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images)")
    boolean all;

    @Option(names = "--digests", description = "Show digests")
    boolean digests;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = dev.berth.cli.container.PsCommand.FORMAT_HELP)
    String format;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public ImagesCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (args.size() > 1) {
            throw new CliException(spec.root().name() + ": '" + spec.qualifiedName(" ")
                    + "' requires at most 1 argument\n\nUsage:  " + spec.qualifiedName(" ") + " "
                    + spec.usageMessage().customSynopsis()[0] + "\n\nSee '" + spec.qualifiedName(" ")
                    + " --help' for more information", 1);
        }
        List<String> allFilters = new ArrayList<>(filters);
        if (!args.isEmpty()) {
            allFilters.add("reference=" + args.get(0));
        }
        String chosen = format == null || format.isEmpty() || format.equals("table") ? null : format;
        if (chosen == null) {
            chosen = quiet ? "{{.ID}}" : digests ? DIGEST_FORMAT : DEFAULT_FORMAT;
        }
        JsonNode list = cli.client().json(ApiRequest.get("/images/json")
                .query("all", all ? "1" : null)
                .query("filters", Filters.encode(cli, allFilters)));
        Instant now = Instant.now();
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode image : list) {
            rows.addAll(rows(image, !noTrunc, digests, now));
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

    public static List<Map<String, String>> rows(JsonNode image, boolean trunc, boolean showDigests, Instant now) {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        Map<String, List<String>> digestsByRepo = new LinkedHashMap<>();
        for (JsonNode t : image.path("RepoTags")) {
            String ref = t.asText();
            if (ref.equals("<none>:<none>")) {
                continue;
            }
            Reference r = Reference.split(ref);
            if (r.tag() != null) {
                tags.computeIfAbsent(familiar(r.repository()), k -> new ArrayList<>()).add(r.tag());
            }
        }
        for (JsonNode d : image.path("RepoDigests")) {
            String ref = d.asText();
            int at = ref.indexOf('@');
            if (at > 0 && !ref.equals("<none>@<none>")) {
                digestsByRepo.computeIfAbsent(familiar(ref.substring(0, at)), k -> new ArrayList<>())
                        .add(ref.substring(at + 1));
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : tags.entrySet()) {
            List<String> repoDigests = digestsByRepo.remove(e.getKey());
            if (!showDigests || repoDigests == null) {
                repoDigests = List.of();
            }
            for (String tag : e.getValue()) {
                if (repoDigests.isEmpty()) {
                    rows.add(row(image, e.getKey(), tag, "<none>", trunc, now));
                }
                for (String digest : repoDigests) {
                    rows.add(row(image, e.getKey(), tag, digest, trunc, now));
                }
            }
        }
        for (Map.Entry<String, List<String>> e : digestsByRepo.entrySet()) {
            if (showDigests) {
                for (String digest : e.getValue()) {
                    rows.add(row(image, e.getKey(), "<none>", digest, trunc, now));
                }
            } else {
                rows.add(row(image, e.getKey(), "<none>", "<none>", trunc, now));
            }
        }
        if (rows.isEmpty()) {
            rows.add(row(image, "<none>", "<none>", "<none>", trunc, now));
        }
        return rows;
    }

    private static Map<String, String> row(JsonNode image, String repo, String tag, String digest, boolean trunc,
            Instant now) {
        Map<String, String> row = new LinkedHashMap<>();
        long created = image.path("Created").asLong();
        long containers = image.path("Containers").asLong(-1);
        long shared = image.path("SharedSize").asLong(-1);
        long size = image.path("Size").asLong();
        row.put("Containers", containers == -1 ? "N/A" : Long.toString(containers));
        row.put("CreatedAt", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z")
                .format(Instant.ofEpochSecond(created).atZone(ZoneId.systemDefault())));
        row.put("CreatedSince", created == 0 ? "N/A"
                : Durations.humanDuration(Duration.between(Instant.ofEpochSecond(created), now)) + " ago");
        row.put("Digest", digest);
        String id = image.path("Id").asText();
        row.put("ID", trunc ? Strings.truncateId(id) : id);
        row.put("Repository", repo);
        row.put("SharedSize", shared == -1 ? "N/A" : Units.humanSize(shared));
        row.put("Size", Units.humanSizeWithPrecision(size, 3));
        row.put("Tag", tag);
        row.put("UniqueSize", shared == -1 ? "N/A" : Units.humanSize(size - shared));
        row.put("VirtualSize", Units.humanSize(image.has("VirtualSize") ? image.path("VirtualSize").asLong() : size));
        return row;
    }

    /** docker.io/library/busybox → busybox; docker.io/user/app → user/app. */
    static String familiar(String name) {
        String n = name;
        if (n.startsWith("docker.io/")) {
            n = n.substring("docker.io/".length());
        }
        if (n.startsWith("library/") && n.indexOf('/', "library/".length()) < 0) {
            n = n.substring("library/".length());
        }
        return n;
    }
}
