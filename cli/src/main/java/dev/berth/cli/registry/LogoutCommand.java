package dev.berth.cli.registry;

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

/** {@code berth logout}: forgets the credentials config.json (or its helper) keeps for a registry. */
@Command(name = "logout", customSynopsis = "[SERVER]",
        description = "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.")
public final class LogoutCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public LogoutCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (args.size() > 1) {
            throw new CliException(spec.root().name() + ": '" + spec.qualifiedName(" ")
                    + "' requires at most 1 argument", 1);
        }
        String server = args.isEmpty() ? DockerConfigFile.DOCKER_HUB : args.get(0);
        String host = LoginCommand.host(server);
        String shown = DockerConfigFile.key(host);
        if (new DockerConfigFile(cli.json(), cli.env()).erase(host)) {
            cli.out().println("Removing login credentials for " + shown);
        } else {
            cli.out().println("Not logged in to " + shown);
        }
        return 0;
    }
}
