package dev.berth.cli.volume;

import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth volume import NAME [FILE|-]}: unpack a tar into a volume, created when missing (not a Docker verb). */
@Command(name = "import", customSynopsis = "VOLUME [FILE|-]", description = "Import a tar archive into a volume")
public final class VolumeImportCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VolumeImportCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        Args.atMost(spec, args, 2);
        boolean stdin = args.size() < 2 || args.get(1).equals("-");
        try (InputStream in = stdin ? cli.in() : Files.newInputStream(Path.of(args.get(1)))) {
            cli.out().println(cli.client().json(ApiRequest.post("/volumes/" + ApiRequest.segment(args.get(0)) + "/import")
                    .stream("application/x-tar", in)).path("Name").asText());
        }
        return 0;
    }
}
