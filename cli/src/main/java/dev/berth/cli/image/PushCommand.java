package dev.berth.cli.image;

import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.ProgressDisplay;
import dev.berth.cli.Terminal;
import dev.berth.cli.registry.DockerConfigFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth push}: POST /images/{name}/push?tag=, showing the daemon's progress stream as docker does. */
@Command(name = "push", customSynopsis = "[OPTIONS] NAME[:TAG]", description = "Upload an image to a registry")
public final class PushCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all-tags"}, description = "Push all tags of an image to the repository")
    boolean allTags;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Option(names = "--disable-content-trust", description = "Skip image signing (default true)", arity = "0..1")
    boolean disableContentTrust = true;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public PushCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        PullCommand.Name name = PullCommand.Name.parse(args.get(0));
        if (name.digest() != null) {
            throw new CliException("invalid reference format", 1);
        }
        if (allTags && name.tag() != null) {
            throw new CliException("tag can't be used with --all-tags/-a", 1);
        }
        String tag = name.tag();
        if (!allTags && tag == null) {
            tag = "latest";
            if (!quiet) {
                cli.out().println("Using default tag: latest");
            }
        }
        ApiRequest request = ApiRequest.post("/images/" + ApiRequest.segment(name.fullName()) + "/push")
                .query("tag", tag == null ? "" : tag)
                .header("X-Registry-Auth", new DockerConfigFile(cli.json(), cli.env()).header(name.host()));
        PrintStream target = quiet ? new PrintStream(new ByteArrayOutputStream(), false, StandardCharsets.UTF_8)
                : cli.out();
        boolean terminal = !quiet && cli.stdoutIsTerminal();
        int[] size = terminal ? Terminal.size() : null;
        try (ApiResponse response = cli.client().send(request)) {
            new ProgressDisplay(target, terminal, size == null ? 80 : size[1]).show(cli, response.body());
        }
        if (quiet) {
            cli.out().println(name.fullName() + (tag == null ? "" : ":" + tag));
        }
        return 0;
    }
}
