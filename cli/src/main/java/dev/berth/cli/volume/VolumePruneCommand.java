package dev.berth.cli.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.Confirm;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
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

/** {@code berth volume prune}: confirm (unless -f), POST /volumes/prune, list what went and the space. */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove unused local volumes")
public final class VolumePruneCommand implements Callable<Integer> {
    static final String WARNING = "WARNING! This will remove anonymous local volumes not used by at least one container.\n"
            + "Are you sure you want to continue?";
    static final String ALL_WARNING = "WARNING! This will remove all local volumes not used by at least one container.\n"
            + "Are you sure you want to continue?";

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<label>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VolumePruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        if (!force && !Confirm.ask(cli, all ? ALL_WARNING : WARNING)) {
            return 0;
        }
        List<String> f = new ArrayList<>(filters);
        if (all) {
            f.add("all=true");
        }
        JsonNode report = cli.client().json(ApiRequest.post("/volumes/prune").query("filters", Filters.encode(cli.json(), f)));
        JsonNode deleted = report.path("VolumesDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            cli.out().println("Deleted Volumes:");
            deleted.forEach(d -> cli.out().println(d.asText()));
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(report.path("SpaceReclaimed").asLong()));
        return 0;
    }
}
