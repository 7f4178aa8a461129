package dev.berth.cli.container;

import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth rename}: POST /containers/{c}/rename?name=; prints nothing on success, as docker. */
@Command(name = "rename", customSynopsis = "CONTAINER NEW_NAME", description = "Rename a container")
public final class RenameCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public RenameCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 2);
        String oldName = args.get(0).strip();
        String newName = args.get(1).strip();
        if (oldName.isEmpty() || newName.isEmpty()) {
            throw new CliException("Error: Neither old nor new names may be empty", 1);
        }
        cli.client().call(ApiRequest.post("/containers/" + ApiRequest.segment(oldName) + "/rename").query("name", newName));
        return 0;
    }
}
