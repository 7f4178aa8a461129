package dev.berth.cli.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth network disconnect}: POST /networks/{n}/disconnect. */
@Command(name = "disconnect", customSynopsis = "[OPTIONS] NETWORK CONTAINER",
        description = "Disconnect a container from a network")
public final class NetworkDisconnectCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the container to disconnect from a network")
    boolean force;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public NetworkDisconnectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 2);
        ObjectNode body = cli.json().createObjectNode();
        body.put("Container", args.get(1));
        body.put("Force", force);
        cli.client().call(ApiRequest.post("/networks/" + ApiRequest.segment(args.get(0)) + "/disconnect")
                .body("application/json", body.toString().getBytes(StandardCharsets.UTF_8)));
        return 0;
    }
}
