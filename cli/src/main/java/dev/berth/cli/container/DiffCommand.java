package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth diff}: GET /containers/{c}/changes, one "C|A|D path" line per change. */
@Command(name = "diff", customSynopsis = "CONTAINER",
        description = "Inspect changes to files or directories on a container's filesystem")
public final class DiffCommand implements Callable<Integer> {
    private static final String[] KINDS = {"C", "A", "D"};
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public DiffCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        JsonNode changes = cli.client().json(ApiRequest.get("/containers/" + ApiRequest.segment(args.getFirst())
                + "/changes"));
        for (JsonNode c : changes) {
            int kind = c.path("Kind").asInt();
            cli.out().println((kind >= 0 && kind < KINDS.length ? KINDS[kind] : "?") + " " + c.path("Path").asText());
        }
        return 0;
    }
}
