package dev.berth.cli.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.Templates;
import dev.berth.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth info}: GET /info printed in the order and wording of docker's prettyPrintServerInfo. */
@Command(name = "info", customSynopsis = "[OPTIONS]", description = "Display system-wide information")
public final class InfoCommand implements Callable<Integer> {
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

    public InfoCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Args.none(spec, args);
        JsonNode info = cli.client().json(ApiRequest.get("/info"));
        if (format != null && !format.isEmpty()) {
            ObjectNode data = info.deepCopy();
            ObjectNode client = data.putObject("ClientInfo");
            client.put("Debug", false);
            client.put("Context", "default");
            cli.out().println(Templates.render(format, data));
            return 0;
        }
        StringBuilder o = new StringBuilder();
        o.append("Client:\n");
        o.append(" Version:    ").append(dev.berth.cli.Main.VERSION).append('\n');
        o.append(" Context:    default\n");
        o.append(" Debug Mode: false\n");
        o.append("\nServer:\n");
        o.append(" Containers: ").append(info.path("Containers").asLong()).append('\n');
        o.append("  Running: ").append(info.path("ContainersRunning").asLong()).append('\n');
        o.append("  Paused: ").append(info.path("ContainersPaused").asLong()).append('\n');
        o.append("  Stopped: ").append(info.path("ContainersStopped").asLong()).append('\n');
        o.append(" Images: ").append(info.path("Images").asLong()).append('\n');
        o.append(" Server Version: ").append(info.path("ServerVersion").asText()).append('\n');
        o.append(" Storage Driver: ").append(info.path("Driver").asText()).append('\n');
        for (JsonNode pair : info.path("DriverStatus")) {
            o.append("  ").append(pair.path(0).asText()).append(": ").append(pair.path(1).asText()).append('\n');
        }
        optional(o, " Logging Driver: ", info.path("LoggingDriver").asText(""));
        o.append(" Cgroup Driver: ").append(info.path("CgroupDriver").asText()).append('\n');
        optional(o, " Cgroup Version: ", info.path("CgroupVersion").asText(""));
        o.append(" Plugins:\n");
        JsonNode plugins = info.path("Plugins");
        o.append("  Volume: ").append(join(plugins.path("Volume"))).append('\n');
        o.append("  Network: ").append(join(plugins.path("Network"))).append('\n');
        if (!plugins.path("Authorization").isEmpty()) {
            o.append("  Authorization: ").append(join(plugins.path("Authorization"))).append('\n');
        }
        o.append("  Log: ").append(join(plugins.path("Log"))).append('\n');
        o.append(" Swarm: ").append(info.path("Swarm").path("LocalNodeState").asText("inactive")).append('\n');
        List<String> runtimes = new ArrayList<>();
        info.path("Runtimes").fieldNames().forEachRemaining(runtimes::add);
        runtimes.sort(null);
        if (!runtimes.isEmpty()) {
            o.append(" Runtimes: ").append(String.join(" ", runtimes)).append('\n');
            o.append(" Default Runtime: ").append(info.path("DefaultRuntime").asText()).append('\n');
        }
        o.append(" Init Binary: ").append(info.path("InitBinary").asText()).append('\n');
        o.append(" containerd version: ").append(info.path("ContainerdCommit").path("ID").asText()).append('\n');
        o.append(" runc version: ").append(info.path("RuncCommit").path("ID").asText()).append('\n');
        o.append(" init version: ").append(info.path("InitCommit").path("ID").asText()).append('\n');
        JsonNode security = info.path("SecurityOptions");
        if (!security.isEmpty()) {
            o.append(" Security Options:\n");
            for (JsonNode option : security) {
                for (String kv : option.asText().split(",")) {
                    int eq = kv.indexOf('=');
                    String key = eq < 0 ? kv : kv.substring(0, eq);
                    String value = eq < 0 ? "" : kv.substring(eq + 1);
                    if (key.equals("name")) {
                        o.append("  ").append(value).append('\n');
                    } else {
                        o.append("   ").append(Character.toUpperCase(key.charAt(0))).append(key.substring(1))
                                .append(": ").append(value).append('\n');
                    }
                }
            }
        }
        o.append(" Kernel Version: ").append(info.path("KernelVersion").asText()).append('\n');
        o.append(" Operating System: ").append(info.path("OperatingSystem").asText()).append('\n');
        o.append(" OSType: ").append(info.path("OSType").asText()).append('\n');
        o.append(" Architecture: ").append(info.path("Architecture").asText()).append('\n');
        o.append(" CPUs: ").append(info.path("NCPU").asLong()).append('\n');
        o.append(" Total Memory: ").append(Units.bytesSize(info.path("MemTotal").asDouble())).append('\n');
        o.append(" Name: ").append(info.path("Name").asText()).append('\n');
        o.append(" ID: ").append(info.path("ID").asText()).append('\n');
        o.append(" Docker Root Dir: ").append(info.path("DockerRootDir").asText()).append('\n');
        o.append(" Debug Mode: ").append(info.path("Debug").asBoolean()).append('\n');
        optional(o, " HTTP Proxy: ", info.path("HttpProxy").asText(""));
        optional(o, " HTTPS Proxy: ", info.path("HttpsProxy").asText(""));
        optional(o, " No Proxy: ", info.path("NoProxy").asText(""));
        JsonNode labels = info.path("Labels");
        if (!labels.isEmpty()) {
            o.append(" Labels:\n");
            labels.forEach(l -> o.append("  ").append(l.asText()).append('\n'));
        }
        o.append(" Experimental: ").append(info.path("ExperimentalBuild").asBoolean()).append('\n');
        JsonNode registry = info.path("RegistryConfig");
        List<String> insecure = new ArrayList<>();
        registry.path("IndexConfigs").forEach(c -> {
            if (!c.path("Secure").asBoolean(true)) {
                insecure.add(c.path("Name").asText());
            }
        });
        registry.path("InsecureRegistryCIDRs").forEach(c -> insecure.add(c.asText()));
        if (!insecure.isEmpty()) {
            o.append(" Insecure Registries:\n");
            insecure.forEach(r -> o.append("  ").append(r).append('\n'));
        }
        JsonNode mirrors = registry.path("Mirrors");
        if (!mirrors.isEmpty()) {
            o.append(" Registry Mirrors:\n");
            mirrors.forEach(m -> o.append("  ").append(m.asText()).append('\n'));
        }
        o.append(" Live Restore Enabled: ").append(info.path("LiveRestoreEnabled").asBoolean()).append('\n');
        o.append('\n');
        cli.out().print(o);
        cli.out().flush();
        for (JsonNode warning : info.path("Warnings")) {
            cli.err().println(warning.asText());
        }
        return 0;
    }

    private static void optional(StringBuilder o, String label, String value) {
        if (!value.isEmpty()) {
            o.append(label).append(value).append('\n');
        }
    }

    private static String join(JsonNode list) {
        List<String> items = new ArrayList<>();
        list.forEach(i -> items.add(i.asText()));
        return String.join(" ", items);
    }

}
