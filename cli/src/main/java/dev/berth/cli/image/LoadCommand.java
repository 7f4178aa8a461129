package dev.berth.cli.image;

import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.JsonMessages;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth load}: POST /images/load with an archive from a file (-i) or stdin. */
@Command(name = "load", customSynopsis = "[OPTIONS]", description = "Load an image from a tar archive or STDIN")
public final class LoadCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-i", "--input"}, paramLabel = "string", description = "Read from tar archive file, instead of STDIN")
    String input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output")
    boolean quiet;

    public LoadCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (input == null && cli.stdinIsTerminal()) {
            throw new CliException("requested load from stdin, but stdin is empty", 1);
        }
        InputStream in;
        try {
            in = input == null ? cli.in() : Files.newInputStream(Path.of(input));
        } catch (NoSuchFileException e) {
            throw new CliException("open " + input + ": no such file or directory", 1);
        }
        try (ApiResponse response = cli.client().send(ApiRequest.post("/images/load").query("quiet", quiet ? "1" : "0")
                .stream("application/x-tar", in))) {
            PrintStream out = quiet ? new PrintStream(new ByteArrayOutputStream(), false, StandardCharsets.UTF_8) : cli.out();
            JsonMessages.print(cli, response.body(), out);
        } finally {
            if (in != cli.in()) {
                in.close();
            }
        }
        return 0;
    }
}
