package dev.berth.cli.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.DaemonUnreachableException;
import dev.berth.api.client.EngineClient;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Templates;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth version}: the client block, then the daemon's components from GET /version, laid out like docker's
 * version template (labels padded to 20 columns). The client block prints even when the daemon is unreachable.
 */
@Command(name = "version", customSynopsis = "[OPTIONS]", description = "Show the Docker version information")
public final class VersionCommand implements Callable<Integer> {
    private static final DateTimeFormatter ANSIC = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.ROOT);

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a custom template:\n"
            + "'json':             Print in JSON format\n"
            + "'TEMPLATE':         Print output using the given Go template.\n"
            + "Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with "
            + "templates")
    String format;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public VersionCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        String apiVersion;
        JsonNode server = null;
        RuntimeException failure = null;
        try {
            apiVersion = cli.client().version();
            server = cli.client().json(ApiRequest.get("/version"));
        } catch (DaemonUnreachableException | ApiException e) {
            apiVersion = EngineClient.API_VERSION;
            failure = e;
        }
        ObjectNode client = cli.json().createObjectNode();
        client.putObject("Platform").put("Name", "");
        client.put("Version", dev.berth.cli.Main.VERSION);
        client.put("ApiVersion", apiVersion);
        client.put("DefaultAPIVersion", EngineClient.API_VERSION);
        client.put("GitCommit", "berth");
        client.put("GoVersion", "java" + Runtime.version());
        client.put("Os", "linux");
        client.put("Arch", arch());
        client.put("BuildTime", "");
        client.put("Context", "default");
        if (format != null && !format.isEmpty()) {
            ObjectNode data = cli.json().createObjectNode();
            data.set("Client", client);
            data.set("Server", server);
            cli.out().println(Templates.render(format, data));
            if (failure != null) {
                throw failure;
            }
            return 0;
        }
        StringBuilder out = new StringBuilder("Client:\n");
        line(out, " Version:", client.path("Version").asText());
        String api = apiVersion.equals(EngineClient.API_VERSION) ? apiVersion
                : apiVersion + " (downgraded from " + EngineClient.API_VERSION + ")";
        line(out, " API version:", api);
        line(out, " Java version:", Runtime.version().toString());
        line(out, " Git commit:", "berth");
        line(out, " OS/Arch:", "linux/" + arch());
        line(out, " Context:", "default");
        if (server != null) {
            String platform = server.path("Platform").path("Name").asText("");
            out.append("\nServer:").append(platform.isEmpty() ? "" : " " + platform).append('\n');
            JsonNode components = server.path("Components");
            if (!components.isArray() || components.isEmpty()) {
                ObjectNode engine = cli.json().createObjectNode();
                engine.put("Name", "Engine");
                engine.put("Version", server.path("Version").asText());
                ObjectNode details = engine.putObject("Details");
                for (String key : List.of("ApiVersion", "MinAPIVersion", "GoVersion", "GitCommit", "BuildTime", "Os",
                        "Arch", "Experimental")) {
                    details.put(key, server.path(key).asText());
                }
                components = cli.json().createArrayNode().add(engine);
            }
            for (JsonNode component : components) {
                out.append(' ').append(component.path("Name").asText()).append(":\n");
                JsonNode d = component.path("Details");
                line(out, "  Version:", component.path("Version").asText());
                if (component.path("Name").asText().equals("Engine")) {
                    line(out, "  API version:", d.path("ApiVersion").asText() + " (minimum version "
                            + d.path("MinAPIVersion").asText() + ")");
                    line(out, "  Go version:", d.path("GoVersion").asText());
                    line(out, "  Git commit:", d.path("GitCommit").asText());
                    line(out, "  Built:", ansic(d.path("BuildTime").asText()));
                    line(out, "  OS/Arch:", d.path("Os").asText() + "/" + d.path("Arch").asText());
                    line(out, "  Experimental:", d.path("Experimental").asText());
                } else {
                    List<String> keys = new ArrayList<>();
                    Iterator<String> names = d.fieldNames();
                    names.forEachRemaining(keys::add);
                    keys.sort(null);
                    for (String key : keys) {
                        line(out, "  " + key + ":", d.path(key).asText());
                    }
                }
            }
        }
        cli.out().print(out);
        cli.out().flush();
        if (failure != null) {
            throw failure;
        }
        return 0;
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(label);
        out.append(" ".repeat(Math.max(1, 20 - label.length())));
        out.append(value).append('\n');
    }

    static String ansic(String rfc3339) {
        try {
            return ANSIC.format(OffsetDateTime.parse(rfc3339).atZoneSameInstant(ZoneId.systemDefault()));
        } catch (DateTimeParseException e) {
            return rfc3339;
        }
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }
}
