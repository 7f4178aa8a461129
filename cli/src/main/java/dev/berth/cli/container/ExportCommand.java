package dev.berth.cli.container;

import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import java.io.IOException;
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
        if (output == null && cli.stdoutIsTerminal()) {
            throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
        }
        try (ApiResponse response = cli.client().send(
                ApiRequest.get("/containers/" + ApiRequest.segment(args.get(0)) + "/export"))) {
            if (output == null) {
                response.body().transferTo(cli.out());
                cli.out().flush();
                return 0;
            }
            Path target = Path.of(output).toAbsolutePath();
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temp)) {
                    response.body().transferTo(out);
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw new CliException("failed to export container: " + e.getMessage(), 1);
            }
        }
        return 0;
    }
}
