package dev.berth.cli.image;

import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        if (output == null && cli.stdoutIsTerminal()) {
            throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
        }
        ApiRequest request = ApiRequest.get("/images/get");
        for (String a : args) {
            request = request.query("names", a);
        }
        Path target = output == null ? null : Path.of(output);
        Path temp = target == null ? null : Files.createTempFile(target.toAbsolutePath().getParent(), ".docker_temp_", "");
        try (ApiResponse response = cli.client().send(request)) {
            if (temp == null) {
                response.body().transferTo(cli.out());
                cli.out().flush();
            } else {
                try (OutputStream out = Files.newOutputStream(temp)) {
                    response.body().transferTo(out);
                }
                Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
        return 0;
    }
}
