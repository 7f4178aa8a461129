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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth kill}: POST /containers/{c}/kill?signal= (the daemon defaults to SIGKILL). */
@Command(name = "kill", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]",
        description = "Kill one or more running containers")
public final class KillCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Parameters(arity = "0..*")
    List<String> containers = List.of();

    public KillCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, containers, 1);
        return Batch.each(cli, containers, name -> cli.client().call(
                ApiRequest.post("/containers/" + ApiRequest.segment(name) + "/kill").query("signal", signal)));
    }
}
