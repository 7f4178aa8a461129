package dev.berth.cli.volume;

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

/** {@code berth volume clone SOURCE TARGET}: a new volume with a copy of another's content (not a Docker verb). */
@Command(name = "clone", customSynopsis = "SOURCE TARGET", description = "Copy a volume into a new volume")
public final class VolumeCloneCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VolumeCloneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 2);
        cli.out().println(cli.client().json(ApiRequest.post("/volumes/" + ApiRequest.segment(args.get(0)) + "/clone")
                .query("target", args.get(1))).path("Name").asText());
        return 0;
    }
}
