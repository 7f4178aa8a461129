package dev.berth.cli.volume;

import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
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

/** {@code berth volume inspect}: GET /volumes/{name} for each name. */
@Command(name = "inspect", customSynopsis = "[OPTIONS] VOLUME [VOLUME...]",
        description = "Display detailed information on one or more volumes")
public final class VolumeInspectCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template")
    String format;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VolumeInspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String name : args) {
            try (ApiResponse r = cli.client().send(ApiRequest.get("/volumes/" + ApiRequest.segment(name)))) {
                inspector.add(r.readAll());
            } catch (ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            }
        }
        inspector.flush();
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
