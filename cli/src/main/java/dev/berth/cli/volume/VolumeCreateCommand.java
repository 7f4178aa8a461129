package dev.berth.cli.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** {@code berth volume create}: POST /volumes/create, print the name. */
@Command(name = "create", customSynopsis = "[OPTIONS] [VOLUME]", description = "Create a volume")
public final class VolumeCreateCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-d", "--driver"}, paramLabel = "string", description = "Specify volume driver name")
    String driver = "local";

    @Option(names = "--name", paramLabel = "string", description = "Specify volume name")
    String name;

    @Option(names = {"-o", "--opt"}, paramLabel = "map", description = "Set driver specific options")
    List<String> opts = new ArrayList<>();

    @Option(names = "--label", paramLabel = "list", description = "Set metadata for a volume")
    List<String> labels = new ArrayList<>();

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VolumeCreateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atMost(spec, args, 1);
        if (!args.isEmpty() && name != null && !name.equals(args.get(0))) {
            throw new CliException("conflicting options: either specify --name or provide positional arg, not both", 1);
        }
        ObjectNode body = cli.json().createObjectNode();
        body.put("Driver", driver);
        ObjectNode driverOpts = body.putObject("DriverOpts");
        for (String o : opts) {
            int eq = o.indexOf('=');
            driverOpts.put(eq < 0 ? o : o.substring(0, eq), eq < 0 ? "" : o.substring(eq + 1));
        }
        ObjectNode labelNode = body.putObject("Labels");
        for (String l : labels) {
            int eq = l.indexOf('=');
            labelNode.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        body.put("Name", !args.isEmpty() ? args.get(0) : name == null ? "" : name);
        cli.out().println(cli.client().postJson(ApiRequest.post("/volumes/create"), body).path("Name").asText());
        return 0;
    }
}
