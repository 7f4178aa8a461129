package dev.berth.cli.container;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.DaemonUnreachableException;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Terminal;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth run}: create, then either start and print the ID (-d) or attach, wait, start and exit with the
 * container's status. Daemon failures exit 125; a command that cannot be found or executed exits 127 or 126, as
 * docker/cli's runStartContainerErr decides from the daemon's message.
 */
@Command(name = "run", customSynopsis = "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        description = "Create and run a new container from an image")
public final class RunCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Mixin
    ContainerFlags flags;

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Proxy received signals to the process (default true)")
    boolean sigProxy;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public RunCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        if (flags.tty() && flags.interactive() && !detach && !cli.stdinIsTerminal()) {
            throw new CliException("the input device is not a TTY", 1);
        }
        String image = args.get(0);
        int[] size = flags.tty() && cli.stdoutIsTerminal() ? Terminal.size() : null;
        if (flags.autoRemove() && flags.hasRestartPolicy()) {
            throw failure("conflicting options: cannot specify both --restart and --rm", 125);
        }
        ObjectNode body;
        try {
            body = flags.body(JsonNodeFactory.instance, image, args.subList(1, args.size()), detach, cli.env(), size);
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage(), 125);
        }
        String id;
        try {
            id = ContainerCreator.create(cli, flags.name(), image, body);
        } catch (ApiException e) {
            throw failure("Error response from daemon: " + e.getMessage(), 125);
        } catch (DaemonUnreachableException e) {
            throw failure(e.getMessage(), 125);
        }
        String start = "/containers/" + ApiRequest.segment(id) + "/start";
        if (detach) {
            try {
                cli.client().call(ApiRequest.post(start));
            } catch (ApiException e) {
                throw startFailure(e);
            }
            cli.out().println(id);
            return 0;
        }
        AttachedRun.Options options = new AttachedRun.Options(flags.tty(), flags.interactive(), flags.autoRemove(),
                flags.detachKeys(), sigProxy);
        return AttachedRun.run(cli, id, options, () -> {
            try {
                cli.client().call(ApiRequest.post(start));
            } catch (ApiException e) {
                throw startFailure(e);
            }
        });
    }

    private CliException startFailure(ApiException e) {
        String message = e.getMessage();
        int code = 125;
        if (message.contains("executable file not found") || message.contains("no such file or directory")
                || message.contains("system cannot find the file specified")) {
            code = 127;
        } else if (message.contains("permission denied") || message.contains("is a directory")) {
            code = 126;
        }
        return failure("Error response from daemon: " + message, code);
    }

    /** docker run's StatusError text: "berth: MESSAGE" and the hint to the command's help. */
    private CliException failure(String message, int code) {
        String name = spec.qualifiedName(" ");
        return new CliException(spec.root().name() + ": " + message + "\n\nRun '" + name
                + " --help' for more information", code);
    }
}
