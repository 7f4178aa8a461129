package dev.berth.cli.image;

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

/** {@code berth save}: GET /images/get?names=..., the archive to a file (-o) or stdout. */
@Command(name = "save", customSynopsis = "[OPTIONS] IMAGE [IMAGE...]",
        description = "Save one or more images to a tar archive (streamed to STDOUT by default)")
public final class SaveCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public SaveCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        TarDownload.refuseTerminal(cli, output);
        ApiRequest request = ApiRequest.get("/images/get");
        for (String a : args) {
            request = request.query("names", a);
        }
        TarDownload.write(cli, request, output, "failed to save image");
        return 0;
    }
}
