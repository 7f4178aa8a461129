package dev.berth.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
 * {@code berth login}: has the daemon check the credentials (POST /auth), then keeps them in the docker CLI's
 * config.json (or its credential helper), where pulls and pushes find them.
 */
@Command(name = "login", customSynopsis = "[OPTIONS] [SERVER]",
        description = "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.")
public final class LoginCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-u", "--username"}, paramLabel = "string", description = "Username")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "string", description = "Password or Personal Access Token (PAT)")
    String password;

    @Option(names = "--password-stdin", description = "Take the Password or Personal Access Token (PAT) from stdin")
    boolean passwordStdin;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public LoginCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (args.size() > 1) {
            throw new CliException(spec.root().name() + ": '" + spec.qualifiedName(" ")
                    + "' requires at most 1 argument", 1);
        }
        String server = args.isEmpty() ? DockerConfigFile.DOCKER_HUB : args.get(0);
        String host = host(server);
        if (password != null) {
            cli.err().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
            if (passwordStdin) {
                throw new CliException("--password and --password-stdin are mutually exclusive", 1);
            }
        }
        if (passwordStdin) {
            if (username == null || username.isEmpty()) {
                throw new CliException("Must provide --username with --password-stdin", 1);
            }
            String in = new String(cli.in().readAllBytes(), StandardCharsets.UTF_8);
            password = in.replaceAll("[\\r\\n]+$", "");
        }
        if (username == null || password == null) {
            if (!cli.stdinIsTerminal()) {
                throw new CliException("Error: Cannot perform an interactive login from a non TTY device", 1);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8));
            if (username == null) {
                cli.out().print("Username: ");
                cli.out().flush();
                username = reader.readLine();
            }
            if (password == null) {
                cli.out().print("Password: ");
                cli.out().flush();
                password = reader.readLine();
            }
            if (username == null || username.isBlank()) {
                throw new CliException("Error: Non-null Username Required", 1);
            }
        }
        var body = cli.json().createObjectNode().put("username", username).put("password", password)
                .put("serveraddress", DockerConfigFile.key(host));
        JsonNode answer = cli.client().postJson(ApiRequest.post("/auth"), body);
        new DockerConfigFile(cli.json(), cli.env()).store(host, username, password);
        cli.out().println(answer.path("Status").asText("Login Succeeded"));
        return 0;
    }

    /** The registry a login server names: "https://index.docker.io/v1/" and "docker.io" are Docker Hub. */
    static String host(String server) {
        String s = server.replaceFirst("^https?://", "");
        int slash = s.indexOf('/');
        s = slash < 0 ? s : s.substring(0, slash);
        return s.equals("index.docker.io") || s.equals("registry-1.docker.io") ? "docker.io" : s;
    }
}
