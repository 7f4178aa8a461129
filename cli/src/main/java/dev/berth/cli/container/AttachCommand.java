package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.api.client.HijackedStream;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Terminal;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth attach}: the wait is opened first (docker's order), the container must be running, then the hijacked
 * stream is pumped until it ends and the exit code comes from the wait.
 */
@Command(name = "attach", customSynopsis = "[OPTIONS] CONTAINER",
        description = "Attach local standard input, output, and error streams to a running container")
public final class AttachCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--detach-keys", paramLabel = "string",
            description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Option(names = "--no-stdin", description = "Do not attach STDIN")
    boolean noStdin;

    @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Proxy all received signals to the process (default true)")
    boolean sigProxy;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public AttachCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 1);
        String path = "/containers/" + ApiRequest.segment(args.get(0));
        JsonNode container = checkState(path);
        DetachKeys keys;
        try {
            keys = DetachKeys.parse(detachKeys);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 1);
        }
        boolean tty = container.path("Config").path("Tty").asBoolean();
        boolean stdin = !noStdin && container.path("Config").path("OpenStdin").asBoolean();
        if (stdin && tty && !cli.stdinIsTerminal()) {
            throw new CliException("the input device is not a TTY", 1);
        }
        try (ApiResponse wait = cli.client().send(ApiRequest.post(path + "/wait"))) {
            HijackedStream stream = cli.client().hijack(ApiRequest.post(path + "/attach")
                    .query("stream", "1")
                    .query("stdin", stdin ? "1" : null)
                    .query("stdout", "1")
                    .query("stderr", "1")
                    .query("detachKeys", detachKeys));
            checkState(path);
            Terminal.Restore restore = tty && stdin && cli.stdinIsTerminal() ? Terminal.makeRaw() : null;
            try {
                if (tty && cli.stdoutIsTerminal()) {
                    // Resizing to a size one larger and back makes the shell redraw its prompt, as docker does,
                    // so a second attach does not start on a blank line.
                    AttachedRun.resizeQuietly(cli, path, 1);
                    AttachedRun.resizeQuietly(cli, path, 0);
                }
                if (!tty && sigProxy) {
                    for (String signal : Signals.PROXIED) {
                        Signals.handle(signal, s -> AttachedRun.forward(cli, path, s));
                    }
                }
                AttachSession session = new AttachSession(cli, stream, tty, stdin, keys);
                session.startInput();
                if (session.copyOutput()) {
                    throw new CliException("read escape sequence", 1);
                }
            } finally {
                if (restore != null) {
                    restore.close();
                }
            }
            JsonNode result = cli.json().readTree(wait.body());
            String error = result == null ? null : result.path("Error").path("Message").asText(null);
            if (error != null && !error.isEmpty()) {
                throw new CliException(error, 1);
            }
            return result == null ? 0 : result.path("StatusCode").asInt();
        }
    }

    private JsonNode checkState(String path) throws IOException {
        JsonNode container = cli.client().json(ApiRequest.get(path + "/json"));
        JsonNode state = container.path("State");
        if (!state.path("Running").asBoolean()) {
            throw new CliException("You cannot attach to a stopped container, start it first", 1);
        }
        if (state.path("Paused").asBoolean()) {
            throw new CliException("You cannot attach to a paused container, unpause it first", 1);
        }
        if (state.path("Restarting").asBoolean()) {
            throw new CliException("You cannot attach to a restarting container, wait until it is running", 1);
        }
        return container;
    }
}
