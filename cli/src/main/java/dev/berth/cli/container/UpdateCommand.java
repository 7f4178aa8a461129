package dev.berth.cli.container;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth update}: POST /containers/{c}/update with the limits and restart policy given, for each container. As
 * docker sends it, a limit left out is 0 (unchanged) and the pids limit is sent only when given.
 */
@Command(name = "update", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]",
        description = "Update configuration of one or more containers")
public final class UpdateCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs",
            converter = ContainerFlags.NanoCpus.class)
    Long nanoCpus;

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit",
            converter = ContainerFlags.MemoryBytes.class)
    Long memory;

    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;

    @Option(names = "--restart", paramLabel = "string", description = "Restart policy to apply when a container exits")
    String restart;

    @Parameters(arity = "0..*")
    List<String> containers = List.of();

    public UpdateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, containers, 1);
        if (nanoCpus == null && memory == null && pidsLimit == null && restart == null) {
            throw new CliException("you must provide one or more flags when using this command", 1);
        }
        ObjectNode body = cli.json().createObjectNode();
        body.put("Memory", memory == null ? 0 : memory);
        body.put("NanoCpus", nanoCpus == null ? 0 : nanoCpus);
        if (pidsLimit != null) {
            body.put("PidsLimit", pidsLimit);
        }
        ObjectNode policy = body.putObject("RestartPolicy");
        String name = "";
        int retries = 0;
        if (restart != null && !restart.isEmpty()) {
            int colon = restart.indexOf(':');
            name = colon < 0 ? restart : restart.substring(0, colon);
            if (colon >= 0) {
                try {
                    retries = Integer.parseInt(restart.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new CliException("invalid restart policy format: maximum retry count must be an integer", 1);
                }
            }
        }
        policy.put("Name", name);
        policy.put("MaximumRetryCount", retries);
        byte[] bytes = cli.json().writeValueAsBytes(body);
        return Batch.each(cli, containers, c -> cli.client().call(
                ApiRequest.post("/containers/" + ApiRequest.segment(c) + "/update").body("application/json", bytes)));
    }
}
