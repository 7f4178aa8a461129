package dev.berth.cli.network;

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

/** {@code berth network rm}: DELETE /networks/{n} for each name; with -f a missing network is no error. */
@Command(name = "rm", customSynopsis = "NETWORK [NETWORK...]", description = "Remove one or more networks")
public final class NetworkRmCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Do not error if the network does not exist")
    boolean force;

    @Parameters(arity = "0..*")
    List<String> networks = List.of();

    public NetworkRmCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, networks, 1);
        List<String> errors = new ArrayList<>();
        for (String n : networks) {
            try {
                cli.client().call(ApiRequest.delete("/networks/" + ApiRequest.segment(n)));
                cli.out().println(n);
            } catch (ApiException e) {
                if (!(force && e.isNotFound())) {
                    errors.add("Error response from daemon: " + e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
