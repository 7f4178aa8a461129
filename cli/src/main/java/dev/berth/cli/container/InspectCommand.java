package dev.berth.cli.container;

import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Inspector;
import java.io.IOException;
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
 * {@code berth inspect}: without --type each name is tried as a container, an image, a network, a volume and a plugin,
 * moving on only on "not found", in docker's order; a name found nowhere gives "No such object".
 */
@Command(name = "inspect", customSynopsis = "[OPTIONS] NAME|ID [NAME|ID...]",
        description = "Return low-level information on Docker objects")
public final class InspectCommand implements Callable<Integer> {
    private static final List<String> TYPES = List.of("config", "container", "image", "network", "node", "plugin",
            "secret", "service", "task", "volume");

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FORMAT_HELP)
    String format;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes if the type is container")
    boolean size;

    @Option(names = "--type", paramLabel = "string", description = "Only inspect objects of the given type")
    String type;

    @Parameters(arity = "0..*")
    List<String> names = List.of();

    static final String FORMAT_HELP = "Format output using a custom template:\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with "
            + "templates";

    public InspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, names, 1);
        if (type != null && !TYPES.contains(type)) {
            throw new CliException("unknown type: \"" + type + "\": must be one of \"config\", \"container\", "
                    + "\"image\", \"network\", \"node\", \"plugin\", \"secret\", \"service\", \"task\", \"volume\"", 1);
        }
        return inspect(cli, format, names, this::lookup);
    }

    interface Lookup {
        /** The raw JSON of the object, or throws ApiException; a message for the user when nothing matched. */
        byte[] find(String name) throws IOException;
    }

    static int inspect(Cli cli, String format, List<String> names, Lookup lookup) throws IOException {
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                inspector.add(lookup.find(name));
            } catch (ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            } catch (NotFound | CliException e) {
                errors.add(e.getMessage());
            }
        }
        inspector.flush();
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }

    /** Nothing of any type matched the name. */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    private byte[] lookup(String name) throws IOException {
        String segment = ApiRequest.segment(name);
        List<ApiRequest> candidates = new ArrayList<>();
        if (type == null || type.equals("container")) {
            candidates.add(ApiRequest.get("/containers/" + segment + "/json").query("size", size ? "1" : null));
        }
        if (type == null || type.equals("image")) {
            candidates.add(ApiRequest.get("/images/" + segment + "/json"));
        }
        if (type == null || type.equals("network")) {
            candidates.add(ApiRequest.get("/networks/" + segment));
        }
        if (type == null || type.equals("volume")) {
            candidates.add(ApiRequest.get("/volumes/" + segment));
        }
        if (type == null || type.equals("plugin")) {
            candidates.add(ApiRequest.get("/plugins/" + segment + "/json"));
        }
        if (candidates.isEmpty()) {
            throw new NotFound("Error: No such " + type + ": " + name);
        }
        ApiException last = null;
        for (ApiRequest candidate : candidates) {
            try {
                return cli.client().send(candidate).readAll();
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                last = e;
            }
        }
        if (type == null) {
            throw new NotFound("Error: No such object: " + name);
        }
        throw last;
    }

    /** {@code berth container inspect}: containers only. */
    @Command(name = "inspect", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]",
            description = "Display detailed information on one or more containers")
    public static final class ContainerOnly implements Callable<Integer> {
        private final Cli cli;

        @Spec
        CommandSpec spec;

        @Mixin
        HelpOption help;

        @Option(names = {"-f", "--format"}, paramLabel = "string", description = FORMAT_HELP)
        String format;

        @Option(names = {"-s", "--size"}, description = "Display total file sizes")
        boolean size;

        @Parameters(arity = "0..*")
        List<String> names = List.of();

        public ContainerOnly(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws Exception {
            Args.atLeast(spec, names, 1);
            return inspect(cli, format, names, name -> cli.client().send(
                    ApiRequest.get("/containers/" + ApiRequest.segment(name) + "/json")
                            .query("size", size ? "1" : null)).readAll());
        }
    }
}
