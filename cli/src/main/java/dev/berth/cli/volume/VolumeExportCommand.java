package dev.berth.cli.volume;

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

/** {@code berth volume export}: the volume's content as a tar, to -o or stdout (not a Docker verb). */
@Command(name = "export", customSynopsis = "[OPTIONS] VOLUME", description = "Export a volume's content as a tar archive")
public final class VolumeExportCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VolumeExportCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        TarDownload.write(cli, ApiRequest.get("/volumes/" + ApiRequest.segment(args.get(0)) + "/export"), output,
                "failed to export volume");
        return 0;
    }
}
