package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth rmi}: DELETE /images/{n}, printing "Untagged: x" and "Deleted: sha256:..." lines. */
@Command(name = "rmi", customSynopsis = "[OPTIONS] IMAGE [IMAGE...]", description = "Remove one or more images")
public final class RmiCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force removal of the image")
    boolean force;

    @Option(names = "--no-prune", description = "Do not delete untagged parents")
    boolean noPrune;

    @Parameters(arity = "0..*")
    List<String> images = List.of();

    public RmiCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, images, 1);
        List<String> errors = new ArrayList<>();
        for (String image : images) {
            try {
                JsonNode deleted = cli.client().json(ApiRequest.delete("/images/" + ApiRequest.segment(image))
                        .query("force", force ? "1" : null)
                        .query("noprune", noPrune ? "1" : null));
                for (JsonNode item : deleted) {
                    if (item.hasNonNull("Untagged") && !item.get("Untagged").asText().isEmpty()) {
                        cli.out().println("Untagged: " + item.get("Untagged").asText());
                    }
                    if (item.hasNonNull("Deleted") && !item.get("Deleted").asText().isEmpty()) {
                        cli.out().println("Deleted: " + item.get("Deleted").asText());
                    }
                }
            } catch (ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
