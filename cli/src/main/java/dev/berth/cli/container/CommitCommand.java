package dev.berth.cli.container;

import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.image.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth commit}: POST /commit?container=&repo=&tag=&comment=&author=&changes=&pause=; prints the new ID. */
@Command(name = "commit", customSynopsis = "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        description = "Create a new image from a container's changes")
public final class CommitCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--author"}, paramLabel = "string",
            description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
    String author;

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Commit message")
    String message;

    @Option(names = {"-p", "--pause"}, arity = "0..1", fallbackValue = "true",
            description = "Pause container during commit (default true)")
    boolean pause = true;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public CommitCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (args.isEmpty() || args.size() > 2) {
            String name = spec.root().name();
            throw new CliException("\"" + name + " commit\" requires at least 1 and at most 2 arguments.\nSee '" + name
                    + " commit --help'.\n\nUsage:  " + name + " commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n\n"
                    + "Create a new image from a container's changes", 1);
        }
        ApiRequest request = ApiRequest.post("/commit").query("container", args.getFirst())
                .query("author", author == null || author.isEmpty() ? null : author)
                .query("comment", message == null || message.isEmpty() ? null : message)
                .query("pause", pause ? "1" : "0");
        if (args.size() == 2) {
            Reference ref = Reference.split(args.get(1));
            if (!ref.valid()) {
                throw new CliException("invalid reference format", 1);
            }
            request = request.query("repo", ref.repository()).query("tag", ref.tag());
        }
        for (String c : changes) {
            request = request.query("changes", c);
        }
        cli.out().println(cli.client().postJson(request, cli.json().createObjectNode()).path("Id").asText());
        return 0;
    }
}
