package dev.berth.cli.container;

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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth rm}: DELETE /containers/{c}. As in docker, with --force a container that does not exist is reported
 * but does not make the command fail.
 */
@Command(name = "rm", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]",
        description = "Remove one or more containers")
public final class RmCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;

    @Option(names = {"-l", "--link"}, description = "Remove the specified link")
    boolean link;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    @Parameters(arity = "0..*")
    List<String> containers = List.of();

    public RmCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, containers, 1);
        List<String> errors = new ArrayList<>();
        for (String name : containers) {
            try {
                cli.client().call(ApiRequest.delete("/containers/" + ApiRequest.segment(name))
                        .query("force", force ? "1" : null)
                        .query("link", link ? "1" : null)
                        .query("v", volumes ? "1" : null));
                cli.out().println(name);
            } catch (ApiException e) {
                if (force && e.isNotFound()) {
                    cli.err().println("Error response from daemon: " + e.getMessage());
                } else {
                    errors.add("Error response from daemon: " + e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
