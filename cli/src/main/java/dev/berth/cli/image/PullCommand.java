package dev.berth.cli.image;

import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.ProgressDisplay;
import dev.berth.cli.Terminal;
import dev.berth.cli.registry.DockerConfigFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth pull}: POST /images/create?fromImage=<name>&tag=<tag or digest>, showing the daemon's progress stream,
 * then the full reference pulled, as docker does.
 */
@Command(name = "pull", customSynopsis = "[OPTIONS] NAME[:TAG|@DIGEST]", description = "Download an image from a registry")
public final class PullCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all-tags"}, description = "Download all tagged images in the repository")
    boolean allTags;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = "--disable-content-trust", description = "Skip image verification (default true)", arity = "0..1")
    boolean disableContentTrust = true;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public PullCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        pull(cli, args.get(0), allTags, quiet, platform, cli.out(), true);
        return 0;
    }

    /**
     * Pulls {@code image} showing progress on {@code out} (stdout for {@code pull}, stderr when {@code run} pulls), and
     * with {@code summary} (the pull verb, not run) the "Using default tag" notice and the reference pulled.
     */
    public static void pull(Cli cli, String image, boolean allTags, boolean quiet, String platform, PrintStream out,
            boolean summary) throws Exception {
        Name name = Name.parse(image);
        if (allTags && (name.tag() != null || name.digest() != null)) {
            throw new CliException("tag can't be used with --all-tags/-a", 1);
        }
        String tag = name.digest() != null ? name.digest() : name.tag();
        if (!allTags && tag == null) {
            tag = "latest";
            if (!quiet && summary) {
                out.println("Using default tag: latest");
            }
        }
        ApiRequest request = ApiRequest.post("/images/create").query("fromImage", name.fullName()).query("tag", tag)
                .query("platform", platform)
                .header("X-Registry-Auth", new DockerConfigFile(cli.json(), cli.env()).header(name.host()));
        PrintStream target = quiet ? new PrintStream(new ByteArrayOutputStream(), false, StandardCharsets.UTF_8) : out;
        boolean terminal = !quiet && (out == cli.out() ? cli.stdoutIsTerminal() : Terminal.isTerminal(2));
        try (ApiResponse response = cli.client().send(request)) {
            new ProgressDisplay(target, terminal, terminal ? width() : 80).show(cli, response.body());
        }
        if (!summary) {
            return;
        }
        if (!allTags || quiet) {
            out.println(name.fullName() + (allTags ? "" : name.digest() != null ? "@" + tag : ":" + tag));
        } else {
            out.println(name.fullName());
        }
    }

    private static int width() {
        int[] size = Terminal.size();
        return size == null ? 80 : size[1];
    }

    /** A reference split and normalised as docker's ParseNormalizedNamed does, for the request and the last line. */
    record Name(String fullName, String tag, String digest) {
        String host() {
            return fullName.substring(0, fullName.indexOf('/'));
        }

        static Name parse(String s) {
            String digest = null;
            int at = s.indexOf('@');
            String rest = s;
            if (at >= 0) {
                digest = s.substring(at + 1);
                rest = s.substring(0, at);
            }
            String tag = null;
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
            }
            Reference check = Reference.split(rest + (tag == null ? "" : ":" + tag));
            if (!check.valid() || rest.isEmpty()) {
                throw new CliException("invalid reference format", 1);
            }
            String full;
            int slash = rest.indexOf('/');
            String first = slash < 0 ? "" : rest.substring(0, slash);
            if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
                full = rest;
            } else if (slash >= 0 && first.equals("index.docker.io")) {
                full = "docker.io/" + rest.substring(slash + 1);
            } else {
                full = "docker.io/" + (slash < 0 ? "library/" + rest : rest);
            }
            return new Name(full, tag, digest);
        }
    }
}
