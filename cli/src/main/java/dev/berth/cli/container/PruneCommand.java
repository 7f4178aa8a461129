package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.Confirm;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.PruneResult;
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

/** {@code berth container prune}: confirm (unless -f), POST /containers/prune, list what went and the space. */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove all stopped containers")
public final class PruneCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public PruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        if (!force && !Confirm.ask(cli, "WARNING! This will remove all stopped containers.\n"
                + "Are you sure you want to continue?")) {
            return 0;
        }
        PruneResult r = prune(cli, filters);
        if (!r.output().isEmpty()) {
            cli.out().println(r.output());
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(r.spaceReclaimed()));
        return 0;
    }

    /** POST /containers/prune; also the container step of {@code system prune}. */
    public static PruneResult prune(Cli cli, List<String> filters) throws Exception {
        JsonNode report = cli.client().json(ApiRequest.post("/containers/prune")
                .query("filters", Filters.encode(cli, filters)));
        StringBuilder out = new StringBuilder();
        JsonNode deleted = report.path("ContainersDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            out.append("Deleted Containers:\n");
            deleted.forEach(id -> out.append(id.asText()).append('\n'));
        }
        return new PruneResult(out.toString(), report.path("SpaceReclaimed").asLong());
    }
}
