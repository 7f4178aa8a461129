package dev.berth.cli.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth network connect}: POST /networks/{n}/connect. */
@Command(name = "connect", customSynopsis = "[OPTIONS] NETWORK CONTAINER", description = "Connect a container to a network")
public final class NetworkConnectCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--alias", paramLabel = "strings", description = "Add network-scoped alias for the container")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., \"172.30.100.104\")")
    String ip;

    @Option(names = "--ip6", paramLabel = "string", description = "IPv6 address (e.g., \"2001:db8::33\")")
    String ip6;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public NetworkConnectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 2);
        ObjectNode body = cli.json().createObjectNode();
        body.put("Container", args.get(1));
        ObjectNode endpoint = body.putObject("EndpointConfig");
        if (ip != null || ip6 != null) {
            ObjectNode ipam = endpoint.putObject("IPAMConfig");
            if (ip != null) {
                ipam.put("IPv4Address", ip);
            }
            if (ip6 != null) {
                ipam.put("IPv6Address", ip6);
            }
        }
        var a = endpoint.putArray("Aliases");
        aliases.forEach(a::add);
        cli.client().call(ApiRequest.post("/networks/" + ApiRequest.segment(args.get(0)) + "/connect")
                .body("application/json", body.toString().getBytes(StandardCharsets.UTF_8)));
        return 0;
    }
}
