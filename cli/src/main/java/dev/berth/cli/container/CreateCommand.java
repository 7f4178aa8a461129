package dev.berth.cli.container;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Args;
import dev.berth.api.client.ApiException;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Terminal;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth create}: create the container and print its full ID. */
@Command(name = "create", customSynopsis = "[OPTIONS] IMAGE [COMMAND] [ARG...]", description = "Create a new container")
public final class CreateCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ContainerFlags flags;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public CreateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        String image = args.get(0);
        int[] size = flags.tty() && cli.stdoutIsTerminal() ? Terminal.size() : null;
        ObjectNode body;
        try {
            body = flags.body(JsonNodeFactory.instance, image, args.subList(1, args.size()), false, cli.env(), size);
        } catch (IllegalArgumentException e) {
            throw new CliException(spec.root().name() + ": " + e.getMessage() + "\n\nRun '" + spec.qualifiedName(" ")
                    + " --help' for more information", 125);
        }
        try {
            cli.out().println(ContainerCreator.create(cli, flags.name(), image, body));
        } catch (ApiException e) {
            throw new CliException("Error response from daemon: " + e.getMessage(), 125); // docker create's status
        }
        return 0;
    }
}
