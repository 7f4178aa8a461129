package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.Units;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
        if (!force) {
            cli.out().print("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
            cli.out().flush();
            String answer = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8)).readLine();
            if (answer == null || !(answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"))) {
                return 0;
            }
        }
        JsonNode report = cli.client().json(ApiRequest.post("/containers/prune")
                .query("filters", Filters.encode(cli.json(), filters)));
        StringBuilder out = new StringBuilder();
        JsonNode deleted = report.path("ContainersDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            out.append("Deleted Containers:\n");
            deleted.forEach(id -> out.append(id.asText()).append('\n'));
            out.append('\n');
        }
        out.append("Total reclaimed space: ").append(Units.humanSize(report.path("SpaceReclaimed").asDouble()))
                .append('\n');
        cli.out().print(out);
        return 0;
    }
}
