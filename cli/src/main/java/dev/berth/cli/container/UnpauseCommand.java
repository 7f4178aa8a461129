package dev.berth.cli.container;

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

/** {@code berth unpause}: POST /containers/{c}/unpause for each container, printing each name that succeeded. */
@Command(name = "unpause", customSynopsis = "CONTAINER [CONTAINER...]",
        description = "Unpause all processes within one or more containers")
public final class UnpauseCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> containers = List.of();

    public UnpauseCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, containers, 1);
        return Batch.each(cli, containers, name -> cli.client().call(
                ApiRequest.post("/containers/" + ApiRequest.segment(name) + "/unpause")));
    }
}
