package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth wait}: POST /containers/{c}/wait for each container and print its exit code. */
@Command(name = "wait", customSynopsis = "CONTAINER [CONTAINER...]",
        description = "Block until one or more containers stop, then print their exit codes")
public final class WaitCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> containers = List.of();

    public WaitCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, containers, 1);
        List<String> errors = new ArrayList<>();
        for (String name : containers) {
            try {
                JsonNode result = cli.client().json(ApiRequest.post("/containers/" + ApiRequest.segment(name) + "/wait"));
                JsonNode error = result.path("Error");
                if (error.hasNonNull("Message") && !error.get("Message").asText().isEmpty()) {
                    errors.add(error.get("Message").asText());
                    continue;
                }
                cli.out().println(result.path("StatusCode").asLong());
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
