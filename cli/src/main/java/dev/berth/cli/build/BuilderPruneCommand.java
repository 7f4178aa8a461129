package dev.berth.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.Confirm;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.ContainerFlags;
import dev.berth.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth builder prune}: confirm (unless -f), POST /build/prune, list what went and the space given back, as
 * docker's cli/command/builder/prune.go does. The daemon removes the {@code RUN --mount=type=cache} directories;
 * {@code --keep-storage} goes as bytes.
 */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove build cache")
public final class BuilderPruneCommand implements Callable<Integer> {
    static final String WARNING = "WARNING! This will remove all dangling build cache. Are you sure you want to continue?";
    static final String ALL_WARNING = "WARNING! This will remove all build cache. Are you sure you want to continue?";

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Remove all unused build cache, not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=24h\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--keep-storage", paramLabel = "bytes", description = "Amount of disk space to keep for cache",
            converter = ContainerFlags.MemoryBytes.class)
    Long keepStorage;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public BuilderPruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        if (!force && !Confirm.ask(cli, all ? ALL_WARNING : WARNING)) {
            return 0;
        }
        JsonNode report = cli.client().json(ApiRequest.post("/build/prune")
                .query("filters", Filters.encode(cli.json(), filters)).query("all", all ? "1" : null)
                .query("keep-storage", keepStorage == null ? null : Long.toString(keepStorage)));
        JsonNode deleted = report.path("CachesDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            cli.out().println("Deleted build cache objects:");
            deleted.forEach(d -> cli.out().println(d.asText()));
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(report.path("SpaceReclaimed").asLong()));
        return 0;
    }
}
