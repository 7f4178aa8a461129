package dev.berth.cli.volume;

import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
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

/** {@code berth volume rm}: DELETE /volumes/{name} for each name; the names removed are printed. */
@Command(name = "rm", customSynopsis = "[OPTIONS] VOLUME [VOLUME...]", description = "Remove one or more volumes")
public final class VolumeRmCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes")
    boolean force;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VolumeRmCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        List<String> errors = new ArrayList<>();
        for (String name : args) {
            try {
                cli.client().call(ApiRequest.delete("/volumes/" + ApiRequest.segment(name)).query("force", force ? "1" : null));
                cli.out().println(name);
            } catch (ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
