package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code berth start}: start containers, or with -a attach to one and exit with its status. */
@Command(name = "start", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]",
        description = "Start one or more stopped containers")
public final class StartCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;

    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN")
    boolean interactive;

    @Option(names = "--detach-keys", paramLabel = "string",
            description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Parameters(arity = "0..*")
    List<String> containers = List.of();

    public StartCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, containers, 1);
        if (attach || interactive) {
            if (containers.size() > 1) {
                throw new CliException("you cannot start and attach multiple containers at once", 1);
            }
            return startAttached(containers.get(0));
        }
        List<String> failed = new ArrayList<>();
        for (String name : containers) {
            try {
                cli.client().call(ApiRequest.post("/containers/" + ApiRequest.segment(name) + "/start"));
                cli.out().println(name);
            } catch (ApiException e) {
                cli.out().flush();
                cli.err().println("Error response from daemon: " + e.getMessage());
                failed.add(name);
            }
        }
        if (!failed.isEmpty()) {
            throw new CliException("Error: failed to start containers: " + String.join(", ", failed), 1);
        }
        return 0;
    }

    private int startAttached(String name) throws Exception {
        JsonNode container = cli.client().json(ApiRequest.get("/containers/" + ApiRequest.segment(name) + "/json"));
        String id = container.path("Id").asText();
        boolean tty = container.path("Config").path("Tty").asBoolean();
        boolean stdin = interactive && container.path("Config").path("OpenStdin").asBoolean();
        boolean autoRemove = container.path("HostConfig").path("AutoRemove").asBoolean();
        if (stdin && tty && !cli.stdinIsTerminal()) {
            throw new CliException("the input device is not a TTY", 1);
        }
        AttachedRun.Options options = new AttachedRun.Options(tty, stdin, autoRemove, detachKeys, true);
        return AttachedRun.run(cli, id, options,
                () -> cli.client().call(ApiRequest.post("/containers/" + ApiRequest.segment(id) + "/start")));
    }
}
