package dev.berth.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.Confirm;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth network prune}: confirm (unless -f), POST /networks/prune, list what went. */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove all unused networks")
public final class NetworkPruneCommand implements Callable<Integer> {
    static final String WARNING = "WARNING! This will remove all custom networks not used by at least one container.\n"
            + "Are you sure you want to continue?";

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

    public NetworkPruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        if (!force && !Confirm.ask(cli, WARNING)) {
            return 0;
        }
        JsonNode report = cli.client().json(ApiRequest.post("/networks/prune")
                .query("filters", Filters.encode(cli.json(), filters)));
        JsonNode deleted = report.path("NetworksDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            cli.out().println("Deleted Networks:");
            deleted.forEach(d -> cli.out().println(d.asText()));
        }
        return 0;
    }
}
