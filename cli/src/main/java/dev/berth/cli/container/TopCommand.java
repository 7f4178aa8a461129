package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TabWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth top CONTAINER [ps OPTIONS]}: GET /containers/{c}/top?ps_args=, printed as docker does (cli
 * {@code container/top.go}): a tab-aligned table with a minimum column width of 20.
 */
@Command(name = "top", customSynopsis = "CONTAINER [ps OPTIONS]",
        description = "Display the running processes of a container")
public final class TopCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public TopCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 1);
        String psArgs = String.join(" ", args.subList(1, args.size()));
        JsonNode top = cli.client().json(ApiRequest.get("/containers/" + ApiRequest.segment(args.get(0)) + "/top")
                .query("ps_args", psArgs.isEmpty() ? null : psArgs));
        cli.out().print(render(top));
        return 0;
    }

    static String render(JsonNode top) {
        StringBuilder out = new StringBuilder();
        TabWriter w = new TabWriter(out, 20, 1, 3, ' ', 0);
        w.write(String.join("\t", texts(top.path("Titles"))) + "\n");
        for (JsonNode row : top.path("Processes")) {
            w.write(String.join("\t", texts(row)) + "\n");
        }
        w.flush();
        return out.toString();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
