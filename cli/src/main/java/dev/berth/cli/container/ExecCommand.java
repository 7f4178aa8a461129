package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.HijackedStream;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Terminal;
import java.io.IOException;
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
 * {@code berth exec}, in docker's order (cli {@code container/exec.go}): inspect the container (so "No such container"
 * wins), check the terminal, create the exec instance, start it (hijacked, or detached), resize a TTY, copy the
 * streams, then exit with the process's code from the exec instance.
 */
@Command(name = "exec", customSynopsis = "[OPTIONS] CONTAINER COMMAND [ARG...]",
        description = "Execute a command in a running container")
public final class ExecCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background")
    boolean detach;

    @Option(names = "--detach-keys", paramLabel = "string",
            description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<String> envFiles = new ArrayList<>();

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = "--privileged", description = "Give extended privileges to the command")
    boolean privileged;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-u", "--user"}, paramLabel = "string",
            description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public ExecCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.atLeast(spec, args, 2);
        String container = args.get(0);
        List<String> environment = environment();
        DetachKeys keys;
        try {
            keys = DetachKeys.parse(detachKeys);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 1);
        }
        cli.client().json(ApiRequest.get("/containers/" + ApiRequest.segment(container) + "/json"));
        if (!detach && tty && interactive && !cli.stdinIsTerminal()) {
            throw new CliException("the input device is not a TTY", 1);
        }
        int[] size = tty ? Terminal.size() : null;
        ObjectNode body = cli.json().createObjectNode();
        if (user != null) {
            body.put("User", user);
        }
        body.put("Privileged", privileged);
        body.put("Tty", tty);
        if (size != null) {
            body.putArray("ConsoleSize").add(size[0]).add(size[1]);
        }
        body.put("AttachStdin", interactive && !detach);
        body.put("AttachStdout", !detach);
        body.put("AttachStderr", !detach);
        body.put("Detach", detach);
        if (detachKeys != null) {
            body.put("DetachKeys", detachKeys);
        }
        ArrayNode envNode = body.putArray("Env");
        environment.forEach(envNode::add);
        if (workdir != null) {
            body.put("WorkingDir", workdir);
        }
        ArrayNode cmd = body.putArray("Cmd");
        args.subList(1, args.size()).forEach(cmd::add);
        String execId = cli.client().postJson(
                ApiRequest.post("/containers/" + ApiRequest.segment(container) + "/exec"), body).path("Id").asText();
        String execPath = "/exec/" + ApiRequest.segment(execId);
        ObjectNode start = cli.json().createObjectNode().put("Detach", detach).put("Tty", tty);
        if (size != null) {
            start.putArray("ConsoleSize").add(size[0]).add(size[1]);
        }
        byte[] startBody = cli.json().writeValueAsBytes(start);
        if (detach) {
            cli.client().call(ApiRequest.post(execPath + "/start").body("application/json", startBody));
            return 0;
        }
        HijackedStream stream = cli.client().hijack(ApiRequest.post(execPath + "/start")
                .body("application/json", startBody));
        Terminal.Restore restore = tty && interactive && cli.stdinIsTerminal() ? Terminal.makeRaw() : null;
        try {
            if (tty && cli.stdoutIsTerminal()) {
                resize(execPath);
                Signals.handle("WINCH", s -> resize(execPath));
            }
            AttachSession session = new AttachSession(cli, stream, tty, interactive, keys);
            session.startInput();
            if (session.copyOutput()) {
                return 0;
            }
        } finally {
            if (restore != null) {
                restore.close();
            }
        }
        JsonNode inspect = cli.client().json(ApiRequest.get(execPath + "/json"));
        return inspect.path("ExitCode").asInt(0);
    }

    /** --env-file entries first, then -e, as docker merges them. */
    private List<String> environment() throws IOException {
        List<String> out = new ArrayList<>();
        for (String file : envFiles) {
            try {
                out.addAll(EnvFile.read(Path.of(file), cli.env()));
            } catch (EnvFile.BadLine | java.nio.file.NoSuchFileException e) {
                throw new CliException(e.getMessage(), 1);
            }
        }
        for (String e : env) {
            if (e.indexOf('=') < 0) {
                String value = cli.env().get(e);
                out.add(value == null ? e : e + "=" + value);
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private void resize(String execPath) {
        int[] size = Terminal.size();
        if (size == null) {
            return;
        }
        try {
            cli.client().call(ApiRequest.post(execPath + "/resize").query("h", Integer.toString(size[0]))
                    .query("w", Integer.toString(size[1])));
        } catch (IOException | RuntimeException e) {
            // The process may have exited already; docker ignores a failed resize too.
            return;
        }
    }
}
