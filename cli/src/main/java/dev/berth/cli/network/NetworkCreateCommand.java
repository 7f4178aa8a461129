package dev.berth.cli.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
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

/** {@code berth network create}: POST /networks/create, prints the new network's ID. */
@Command(name = "create", customSynopsis = "[OPTIONS] NETWORK", description = "Create a network")
public final class NetworkCreateCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Driver to manage the Network (default \"bridge\")")
    String driver = "bridge";

    @Option(names = "--subnet", paramLabel = "strings", description = "Subnet in CIDR format that represents a network segment")
    List<String> subnets = new ArrayList<>();

    @Option(names = "--gateway", paramLabel = "strings", description = "IPv4 or IPv6 Gateway for the master subnet")
    List<String> gateways = new ArrayList<>();

    @Option(names = "--ip-range", paramLabel = "strings", description = "Allocate container ip from a sub-range")
    List<String> ranges = new ArrayList<>();

    @Option(names = "--internal", description = "Restrict external access to the network")
    boolean internal;

    @Option(names = "--attachable", description = "Enable manual container attachment")
    boolean attachable;

    @Option(names = "--ipv6", description = "Enable or disable IPv6 networking")
    boolean ipv6;

    @Option(names = "--label", paramLabel = "list", description = "Set metadata on a network")
    List<String> labels = new ArrayList<>();

    @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options (default map[])")
    List<String> opts = new ArrayList<>();

    @Option(names = "--ipam-driver", paramLabel = "string", description = "IP Address Management Driver (default \"default\")")
    String ipamDriver = "default";

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public NetworkCreateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        if (gateways.size() > subnets.size() || ranges.size() > subnets.size()) {
            throw new CliException("every ip-range or gateway must have a corresponding subnet", 1);
        }
        ObjectNode body = cli.json().createObjectNode();
        body.put("Name", args.get(0));
        body.put("CheckDuplicate", true);
        body.put("Driver", driver);
        body.put("Internal", internal);
        body.put("Attachable", attachable);
        body.put("EnableIPv6", ipv6);
        ObjectNode ipam = body.putObject("IPAM");
        ipam.put("Driver", ipamDriver);
        var config = ipam.putArray("Config");
        for (int i = 0; i < subnets.size(); i++) {
            ObjectNode c = config.addObject();
            c.put("Subnet", subnets.get(i));
            if (i < ranges.size()) {
                c.put("IPRange", ranges.get(i));
            }
            if (i < gateways.size()) {
                c.put("Gateway", gateways.get(i));
            }
        }
        putMap(body.putObject("Options"), opts);
        putMap(body.putObject("Labels"), labels);
        JsonNode out = cli.client().json(ApiRequest.post("/networks/create")
                .body("application/json", body.toString().getBytes(StandardCharsets.UTF_8)));
        cli.out().println(out.path("Id").asText());
        return 0;
    }

    private static void putMap(ObjectNode node, List<String> pairs) {
        for (String p : pairs) {
            int eq = p.indexOf('=');
            node.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1));
        }
    }
}
