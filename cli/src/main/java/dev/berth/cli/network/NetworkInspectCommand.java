package dev.berth.cli.network;

import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Inspector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth network inspect}: GET /networks/{n} for each name. */
@Command(name = "inspect", customSynopsis = "[OPTIONS] NETWORK [NETWORK...]",
        description = "Display detailed information on one or more networks")
public final class NetworkInspectCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Option(names = {"-v", "--verbose"}, description = "Verbose output for diagnostics")
    boolean verbose;

    @Parameters(arity = "0..*")
    List<String> networks = List.of();

    public NetworkInspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, networks, 1);
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String n : networks) {
            try {
                inspector.add(cli.client().send(ApiRequest.get("/networks/" + ApiRequest.segment(n))).readAll());
            } catch (ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            } catch (CliException e) {
                errors.add(e.getMessage());
            }
        }
        inspector.flush();
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
