package dev.berth.cli.image;

import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Inspector;
import dev.berth.api.client.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth image inspect}: GET /images/{n}/json for each name. */
@Command(name = "inspect", customSynopsis = "[OPTIONS] IMAGE [IMAGE...]",
        description = "Display detailed information on one or more images")
public final class ImageInspectCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template:\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with "
            + "templates")
    String format;

    @Parameters(arity = "0..*")
    List<String> images = List.of();

    public ImageInspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, images, 1);
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String image : images) {
            try {
                inspector.add(cli.client().send(ApiRequest.get("/images/" + ApiRequest.segment(image) + "/json"))
                        .readAll());
            } catch (ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            } catch (CliException e) {
                errors.add(e.getMessage());
            }
        }
        inspector.flush();
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
