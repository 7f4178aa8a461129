package dev.berth.cli.container;

import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.TarDownload;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth export}: streams GET /containers/{c}/export to -o or stdout. With -o the tar goes to a temporary file
 * renamed into place at the end, as docker's atomic writer does, so a failed export leaves no partial file.
 */
@Command(name = "export", customSynopsis = "[OPTIONS] CONTAINER",
        description = "Export a container's filesystem as a tar archive")
public final class ExportCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public ExportCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        TarDownload.write(cli, ApiRequest.get("/containers/" + ApiRequest.segment(args.get(0)) + "/export"), output,
                "failed to export container");
        return 0;
    }
}
