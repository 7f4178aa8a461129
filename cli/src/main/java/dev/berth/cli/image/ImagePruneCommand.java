package dev.berth.cli.image;

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

/** {@code berth image prune}: confirm (unless -f), POST /images/prune, list what went and the space. */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove unused images")
public final class ImagePruneCommand implements Callable<Integer> {
    static final String DANGLING_WARNING = "WARNING! This will remove all dangling images.\n"
            + "Are you sure you want to continue?";
    static final String ALL_WARNING = "WARNING! This will remove all images without at least one container associated "
            + "to them.\nAre you sure you want to continue?";

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public ImagePruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        if (!force && !Confirm.ask(cli, all ? ALL_WARNING : DANGLING_WARNING)) {
            return 0;
        }
        PruneResult r = prune(cli, filters, all);
        if (!r.output().isEmpty()) {
            cli.out().println(r.output());
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(r.spaceReclaimed()));
        return 0;
    }

    /** POST /images/prune with docker's dangling filter added; also the image step of {@code system prune}. */
    public static PruneResult prune(Cli cli, List<String> filters, boolean all) throws Exception {
        List<String> withDangling = new ArrayList<>(filters);
        withDangling.add("dangling=" + !all);
        JsonNode report = cli.client().json(ApiRequest.post("/images/prune")
                .query("filters", Filters.encode(cli, withDangling)));
        StringBuilder out = new StringBuilder();
        JsonNode deleted = report.path("ImagesDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            out.append("Deleted Images:\n");
            for (JsonNode d : deleted) {
                if (!d.path("Untagged").asText("").isEmpty()) {
                    out.append("untagged: ").append(d.path("Untagged").asText()).append('\n');
                } else {
                    out.append("deleted: ").append(d.path("Deleted").asText()).append('\n');
                }
            }
        }
        return new PruneResult(out.toString(), report.path("SpaceReclaimed").asLong());
    }
}
