package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.format.Durations;
import dev.berth.cli.HelpOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth logs}: inspect first (the framing depends on the container's Tty, not on the Content-Type), then copy
 * the log stream as it arrives.
 */
@Command(name = "logs", customSynopsis = "[OPTIONS] CONTAINER", description = "Fetch the logs of a container")
public final class LogsCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--details", description = "Show extra details provided to logs")
    boolean details;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = "--since", paramLabel = "string",
            description = "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String since;

    @Option(names = {"-n", "--tail"}, paramLabel = "string",
            description = "Number of lines to show from the end of the logs (default \"all\")")
    String tail = "all";

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--until", paramLabel = "string",
            description = "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String until;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public LogsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        String path = "/containers/" + ApiRequest.segment(args.get(0));
        JsonNode container = cli.client().json(ApiRequest.get(path + "/json"));
        boolean tty = container.path("Config").path("Tty").asBoolean();
        Instant now = Instant.now();
        ApiRequest request = ApiRequest.get(path + "/logs")
                .query("stdout", "1")
                .query("stderr", "1")
                .query("since", timestamp("since", since, now))
                .query("until", timestamp("until", until, now))
                .query("timestamps", timestamps ? "1" : null)
                .query("follow", follow ? "1" : null)
                .query("tail", tail == null || tail.isEmpty() ? null : tail)
                .query("details", details ? "1" : null);
        try (ApiResponse response = cli.client().send(request)) {
            if (tty) {
                byte[] buf = new byte[32 * 1024];
                int n;
                while ((n = response.body().read(buf)) >= 0) {
                    cli.out().write(buf, 0, n);
                    cli.out().flush();
                }
            } else {
                AttachSession.demux(response.body(), cli.out(), cli.err());
            }
        }
        return 0;
    }

    private static String timestamp(String flag, String value, Instant now) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Durations.timestamp(value, now, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid value for \"" + flag + "\": " + e.getMessage(), 1);
        }
    }
}
