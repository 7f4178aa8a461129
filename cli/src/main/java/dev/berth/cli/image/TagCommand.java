package dev.berth.cli.image;

import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth tag}: POST /images/{source}/tag?repo=&tag=, the target split at its tag colon. */
@Command(name = "tag", customSynopsis = "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")
public final class TagCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public TagCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 2);
        String target = args.get(1);
        if (target.contains("@")) {
            throw new CliException("refusing to create a tag with a digest reference", 1);
        }
        Reference ref = Reference.split(target);
        if (!ref.valid()) {
            String reason = "invalid reference format";
            if (!ref.repository().equals(ref.repository().toLowerCase(java.util.Locale.ROOT))) {
                String repo = ref.repository().contains("/") ? ref.repository() : "library/" + ref.repository();
                reason += ": repository name (" + repo + ") must be lowercase";
            }
            throw new CliException("Error parsing reference: \"" + target + "\" is not a valid repository/tag: "
                    + reason, 1);
        }
        cli.client().call(ApiRequest.post("/images/" + ApiRequest.segment(args.get(0)) + "/tag")
                .query("repo", ref.repository())
                .query("tag", ref.tag()));
        return 0;
    }
}
