package dev.berth.cli.volume;

import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        if (output == null && cli.stdoutIsTerminal()) {
            throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
        }
        try (ApiResponse r = cli.client().send(ApiRequest.get("/volumes/" + ApiRequest.segment(args.get(0)) + "/export"))) {
            if (output == null) {
                r.body().transferTo(cli.out());
                cli.out().flush();
                return 0;
            }
            Path target = Path.of(output).toAbsolutePath();
            Path temp = Files.createTempFile(target.getParent(), ".volume-export", ".tar");
            try (OutputStream out = Files.newOutputStream(temp)) {
                r.body().transferTo(out);
            } catch (java.io.IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return 0;
    }
}
