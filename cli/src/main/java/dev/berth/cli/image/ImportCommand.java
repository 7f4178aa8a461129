package dev.berth.cli.image;

import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.JsonMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth import}: streams a tarball (a file, or stdin for "-") to POST /images/create?fromSrc=-; a URL is passed
 * to the daemon as fromSrc. The reply is a progress stream ending with the new image ID.
 */
@Command(name = "import", customSynopsis = "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
        description = "Import the contents from a tarball to create a filesystem image")
public final class ImportCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-c", "--change"}, paramLabel = "list",
            description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Set commit message for imported image")
    String message;

    @Option(names = "--platform", paramLabel = "string",
            description = "Set platform if server is multi-platform capable")
    String platform;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public ImportCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        if (args.size() > 2) {
            throw new CliException(spec.root().name() + ": '" + spec.qualifiedName(" ")
                    + "' requires at most 2 arguments", 1);
        }
        String source = args.get(0);
        String ref = args.size() > 1 ? args.get(1) : null;
        if (ref != null && !Reference.split(ref).valid()) {
            throw new CliException("invalid reference format", 1);
        }
        boolean url = source.startsWith("http://") || source.startsWith("https://");
        ApiRequest request = ApiRequest.post("/images/create")
                .query("fromSrc", url ? source : "-")
                .query("repo", ref)
                .query("message", message == null || message.isEmpty() ? null : message)
                .query("platform", platform);
        for (String change : changes) {
            request = request.query("changes", change);
        }
        InputStream body = null;
        if (!url) {
            body = source.equals("-") ? cli.in() : open(source);
            request = request.stream(null, body);
        }
        try (ApiResponse response = cli.client().send(request)) {
            JsonMessages.print(cli, response.body(), cli.out());
        } finally {
            if (body != null && body != cli.in()) {
                body.close();
            }
        }
        return 0;
    }

    private static InputStream open(String file) {
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliException("open " + file + ": no such file or directory", 1);
        } catch (IOException e) {
            throw new CliException("open " + file + ": " + e.getMessage(), 1);
        }
    }
}
