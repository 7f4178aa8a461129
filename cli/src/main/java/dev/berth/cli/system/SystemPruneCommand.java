package dev.berth.cli.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.Confirm;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.PruneResult;
import dev.berth.cli.container.PruneCommand;
import dev.berth.cli.format.Units;
import dev.berth.cli.image.ImagePruneCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth system prune}: docker's sequence of prunes (containers, networks, volumes with {@code --volumes}, images,
 * build cache), each printing what it removed, then the total space given back.
 */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove unused data")
public final class SystemPruneCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Remove all unused images not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<key>=<value>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--volumes", description = "Prune anonymous volumes")
    boolean volumes;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public SystemPruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        if (volumes && filters.stream().anyMatch(f -> f.toLowerCase(Locale.ROOT).startsWith("until="))) {
            throw new CliException("ERROR: The \"until\" filter is not supported with \"--volumes\"", 1);
        }
        if (!force && !Confirm.ask(cli, warning())) {
            return 0;
        }
        List<PruneResult> results = new ArrayList<>();
        results.add(PruneCommand.prune(cli, filters));
        results.add(simple("/networks/prune", "NetworksDeleted", "Deleted Networks:\n", null));
        if (volumes) {
            results.add(simple("/volumes/prune", "VolumesDeleted", "Deleted Volumes:\n", null));
        }
        results.add(ImagePruneCommand.prune(cli, filters, all));
        results.add(simple("/build/prune", "CachesDeleted", "Deleted build cache objects:\n", all ? "true" : null));
        long total = 0;
        for (PruneResult r : results) {
            total += r.spaceReclaimed();
            if (!r.output().isEmpty()) {
                cli.out().println(r.output());
            }
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(total));
        return 0;
    }

    /** docker's confirmation text (cli/command/system/prune.go), with the filters it will apply. */
    String warning() {
        List<String> warnings = new ArrayList<>(List.of("all stopped containers",
                "all networks not used by at least one container"));
        if (volumes) {
            warnings.add("all anonymous volumes not used by at least one container");
        }
        warnings.add(all ? "all images without at least one container associated to them" : "all dangling images");
        warnings.add(all ? "all build cache" : "unused build cache");
        StringBuilder out = new StringBuilder("WARNING! This will remove:");
        warnings.forEach(w -> out.append("\n  - ").append(w));
        out.append('\n');
        List<String> shown = filters.stream().filter(f -> f.startsWith("label=") || f.startsWith("label!=")
                || f.startsWith("until=")).sorted().toList();
        if (!shown.isEmpty()) {
            out.append("\n  Items to be pruned will be filtered with:");
            shown.forEach(f -> out.append("\n  - ").append(f));
            out.append('\n');
        }
        return out.append("\nAre you sure you want to continue?").toString();
    }

    /** A prune whose report is a list of names or IDs (networks, volumes, build cache). */
    private PruneResult simple(String path, String listKey, String title, String allParam) throws Exception {
        ApiRequest request = ApiRequest.post(path).query("filters", Filters.encode(cli, filters));
        if (allParam != null) {
            request = request.query("all", allParam);
        }
        JsonNode report = cli.client().json(request);
        StringBuilder out = new StringBuilder();
        JsonNode deleted = report.path(listKey);
        if (deleted.isArray() && !deleted.isEmpty()) {
            out.append(title);
            deleted.forEach(d -> out.append(d.asText()).append('\n'));
        }
        return new PruneResult(out.toString(), report.path("SpaceReclaimed").asLong());
    }
}
