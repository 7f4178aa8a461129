package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code berth port}: the container's published ports, from inspect's {@code NetworkSettings.Ports}. */
@Command(name = "port", customSynopsis = "CONTAINER [PRIVATE_PORT[/PROTO]]",
        description = "List port mappings or a specific mapping for the container")
public final class PortCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public PortCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        if (args.size() > 2) {
            Args.exactly(spec, args, 2);
        }
        JsonNode ports = cli.client().json(ApiRequest.get("/containers/" + ApiRequest.segment(args.get(0)) + "/json"))
                .path("NetworkSettings").path("Ports");
        if (args.size() == 2) {
            String wanted = args.get(1).contains("/") ? args.get(1) : args.get(1) + "/tcp";
            JsonNode bindings = ports.path(wanted);
            if (!bindings.isArray() || bindings.isEmpty()) {
                throw new CliException("Error: No public port '" + wanted + "' published for " + args.get(0), 1);
            }
            bindings.forEach(b -> cli.out().println(address(b)));
            return 0;
        }
        ports.properties().forEach(e -> {
            if (e.getValue().isArray()) {
                e.getValue().forEach(b -> cli.out().println(e.getKey() + " -> " + address(b)));
            }
        });
        return 0;
    }

    private static String address(JsonNode b) {
        String ip = b.path("HostIp").asText();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + b.path("HostPort").asText();
    }
}
