package dev.berth.cli.container;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.CliException;
import dev.berth.cli.format.Durations;
import dev.berth.cli.format.Units;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The flags {@code run} and {@code create} share, and their translation into the create body (Config, HostConfig,
 * NetworkingConfig) the way docker/cli's opts parsing fills them.
 */
public final class ContainerFlags {
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = "--rm", arity = "0..1", fallbackValue = "true",
            description = "Automatically remove the container and its associated anonymous volumes when it exits")
    boolean autoRemove;

    @Option(names = "--name", paramLabel = "string", description = "Assign a name to the container")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<String> envFiles = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "string",
            description = "Working directory inside the container")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "string",
            description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user;

    @Option(names = {"-h", "--hostname"}, paramLabel = "string", description = "Container host name")
    String hostname;

    @Option(names = {"--network", "--net"}, paramLabel = "network",
            description = "Connect a container to a network")
    String network;

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit",
            converter = MemoryBytes.class)
    Long memory;

    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs", converter = NanoCpus.class)
    Long nanoCpus;

    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;

    @Option(names = "--runtime", paramLabel = "string", description = "Runtime to use for this container")
    String runtime;

    @Option(names = "--entrypoint", paramLabel = "string", description = "Overwrite the default ENTRYPOINT of the image")
    String entrypoint;

    @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Set meta data on a container")
    List<String> labels = new ArrayList<>();

    @Option(names = "--log-driver", paramLabel = "string", description = "Logging driver for the container")
    String logDriver;

    @CommandLine.Mixin
    VolumeFlags mountFlags = new VolumeFlags();

    @Option(names = "--log-opt", paramLabel = "list", description = "Log driver options")
    List<String> logOpts = new ArrayList<>();

    @Option(names = "--restart", paramLabel = "string",
            description = "Restart policy to apply when a container exits (default \"no\")")
    String restart;

    @Option(names = "--init", arity = "0..1", fallbackValue = "true",
            description = "Run an init inside the container that forwards signals and reaps processes")
    Boolean init;

    @Option(names = "--userns", paramLabel = "string", description = "User namespace to use")
    String userns;

    @Option(names = "--pid", paramLabel = "string", description = "PID namespace to use")
    String pid;

    @Option(names = "--ipc", paramLabel = "string", description = "IPC mode to use")
    String ipc;

    @Option(names = "--uts", paramLabel = "string", description = "UTS namespace to use")
    String uts;

    @Option(names = "--privileged", description = "Give extended privileges to this container")
    boolean privileged;

    @Option(names = "--cap-add", paramLabel = "list", description = "Add Linux capabilities")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "list", description = "Drop Linux capabilities")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--security-opt", paramLabel = "list", description = "Security Options")
    List<String> securityOpt = new ArrayList<>();

    @Option(names = "--detach-keys", paramLabel = "string",
            description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Option(names = "--stop-signal", paramLabel = "string", description = "Signal to stop the container")
    String stopSignal;

    @Option(names = "--stop-timeout", paramLabel = "int", description = "Timeout (in seconds) to stop a container")
    Integer stopTimeout;

    @Option(names = "--health-cmd", paramLabel = "string", description = "Command to run to check health")
    String healthCmd;

    @Option(names = "--health-interval", paramLabel = "duration",
            description = "Time between running the check (ms|s|m|h) (default 0s)", converter = GoDuration.class)
    Duration healthInterval;

    @Option(names = "--health-retries", paramLabel = "int",
            description = "Consecutive failures needed to report unhealthy")
    Integer healthRetries;

    @Option(names = "--health-start-interval", paramLabel = "duration",
            description = "Time between running the check during the start period (ms|s|m|h) (default 0s)",
            converter = GoDuration.class)
    Duration healthStartInterval;

    @Option(names = "--health-start-period", paramLabel = "duration",
            description = "Start period for the container to initialize before starting health-retries countdown "
                    + "(ms|s|m|h) (default 0s)", converter = GoDuration.class)
    Duration healthStartPeriod;

    @Option(names = "--health-timeout", paramLabel = "duration",
            description = "Maximum time to allow one check to run (ms|s|m|h) (default 0s)", converter = GoDuration.class)
    Duration healthTimeout;

    @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK")
    boolean noHealthcheck;

    @picocli.CommandLine.Mixin
    NetworkFlags networkFlags = new NetworkFlags();

    public boolean interactive() {
        return interactive;
    }

    public boolean tty() {
        return tty;
    }

    public boolean autoRemove() {
        return autoRemove;
    }

    public String name() {
        return name;
    }

    public String detachKeys() {
        return detachKeys;
    }

    /**
     * Builds the create body. {@code detach} clears the Attach* fields and StdinOnce as docker run -d does;
     * {@code consoleSize} is the terminal's rows and columns when the container gets a TTY on a real terminal.
     */
    public ObjectNode body(JsonNodeFactory json, String image, List<String> command, boolean detach,
            Map<String, String> localEnv, int[] consoleSize) {
        ObjectNode body = json.objectNode();
        body.put("Hostname", hostname == null ? "" : hostname);
        body.put("Domainname", "");
        body.put("User", user == null ? "" : user);
        body.put("AttachStdin", !detach && interactive);
        body.put("AttachStdout", !detach);
        body.put("AttachStderr", !detach);
        body.put("Tty", tty);
        body.put("OpenStdin", interactive);
        body.put("StdinOnce", !detach && interactive);
        ArrayNode envNode = body.putArray("Env");
        for (String e : environment(localEnv)) {
            envNode.add(e);
        }
        if (command.isEmpty()) {
            body.putNull("Cmd");
        } else {
            ArrayNode cmd = body.putArray("Cmd");
            command.forEach(cmd::add);
        }
        body.put("Image", image);
        body.putNull("Volumes");
        body.put("WorkingDir", workdir == null ? "" : workdir);
        if (entrypoint == null) {
            body.putNull("Entrypoint");
        } else {
            body.putArray("Entrypoint").add(entrypoint);
        }
        healthcheck(body);
        body.putNull("OnBuild");
        if (stopSignal != null) {
            body.put("StopSignal", stopSignal);
        }
        if (stopTimeout != null) {
            body.put("StopTimeout", stopTimeout);
        }
        ObjectNode labelNode = body.putObject("Labels");
        for (String label : labels) {
            int eq = label.indexOf('=');
            labelNode.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
        }

        ObjectNode host = body.putObject("HostConfig");
        host.putNull("Binds");
        host.put("ContainerIDFile", "");
        logConfig(host.putObject("LogConfig"));
        host.put("NetworkMode", network == null ? "default" : network);
        host.putObject("PortBindings");
        ObjectNode policy = host.putObject("RestartPolicy");
        restartPolicy(policy);
        host.put("AutoRemove", autoRemove);
        host.put("VolumeDriver", "");
        host.putNull("VolumesFrom");
        ArrayNode console = host.putArray("ConsoleSize");
        console.add(consoleSize == null ? 0 : consoleSize[0]);
        console.add(consoleSize == null ? 0 : consoleSize[1]);
        if (runtime != null) {
            host.put("Runtime", runtime);
        }
        host.put("Memory", memory == null ? 0 : memory);
        host.put("NanoCpus", nanoCpus == null ? 0 : nanoCpus);
        if (pidsLimit != null) {
            host.put("PidsLimit", pidsLimit);
        }
        if (init != null) {
            host.put("Init", init);
        }
        if (userns != null) {
            if (!userns.equals("host") && !userns.isEmpty()) {
                throw new CliException("--userns: invalid USER mode", 125);
            }
            host.put("UsernsMode", userns);
        }
        namespaceMode(host, "PidMode", "--pid: invalid PID mode", pid, false);
        namespaceMode(host, "IpcMode", "--ipc: invalid IPC mode", ipc, true);
        namespaceMode(host, "UTSMode", "--uts: invalid UTS mode", uts, false);
        host.put("Privileged", privileged);
        putList(host, "CapAdd", capAdd);
        putList(host, "CapDrop", capDrop);
        putList(host, "SecurityOpt", securityOpt);
        mountFlags.apply(body, host);
        ObjectNode networking = body.putObject("NetworkingConfig");
        ObjectNode endpoints = networking.putObject("EndpointsConfig");
        if (network != null) {
            endpoints.putObject(network);
        }
        networkFlags.apply(body, host, endpoints, network);
        return body;
    }

    /** docker/cli's checks of --pid, --ipc and --uts: "host" (and the defaults); the daemon judges the rest. */
    private static void namespaceMode(ObjectNode host, String field, String error, String value, boolean ipc) {
        if (value == null) {
            return;
        }
        boolean valid = value.isEmpty() || value.equals("host") || value.startsWith("container:")
                || ipc && List.of("private", "shareable", "none").contains(value);
        if (!valid) {
            throw new CliException(error, 125);
        }
        host.put(field, value);
    }

    private static void putList(ObjectNode host, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode list = host.putArray(field);
            values.forEach(list::add);
        }
    }

    /** As docker/cli's parseLoggingOpts: {@code k=v} pairs, none allowed with the none driver. */
    private void logConfig(ObjectNode log) {
        log.put("Type", logDriver == null ? "" : logDriver);
        if (logOpts.isEmpty()) {
            log.putNull("Config");
            return;
        }
        if ("none".equals(logDriver)) {
            throw new CliException("invalid logging opts for driver none", 125);
        }
        ObjectNode config = log.putObject("Config");
        for (String opt : logOpts) {
            int eq = opt.indexOf('=');
            config.put(eq < 0 ? opt : opt.substring(0, eq), eq < 0 ? "" : opt.substring(eq + 1));
        }
    }

    /** docker's opts.ParseRestartPolicy: "name[:count]"; the daemon judges the name and the count. */
    private void restartPolicy(ObjectNode policy) {
        String value = restart == null || restart.isEmpty() ? "no" : restart;
        int colon = value.indexOf(':');
        String policyName = colon < 0 ? value : value.substring(0, colon);
        if (colon == 0) {
            throw new IllegalArgumentException("invalid restart policy format: no policy provided before colon");
        }
        int retries = 0;
        if (colon >= 0 && colon + 1 < value.length()) {
            try {
                retries = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid restart policy format: maximum retry count must be an integer");
            }
        }
        policy.put("Name", policyName);
        policy.put("MaximumRetryCount", retries);
    }

    /** Whether --restart names a policy other than "no" (docker refuses it together with --rm). */
    public boolean hasRestartPolicy() {
        return restart != null && !restart.isEmpty() && !restart.equals("no") && !restart.startsWith("no:");
    }

    /** The health check flags as docker/cli's opts parse turns them into Config.Healthcheck (durations in ns). */
    private void healthcheck(ObjectNode body) {
        boolean any = healthCmd != null && !healthCmd.isEmpty() || healthInterval != null || healthTimeout != null
                || healthStartPeriod != null || healthStartInterval != null || healthRetries != null;
        if (noHealthcheck) {
            if (any) {
                throw new IllegalArgumentException("--no-healthcheck conflicts with --health-* options");
            }
            body.putObject("Healthcheck").putArray("Test").add("NONE");
            return;
        }
        if (!any) {
            return;
        }
        ObjectNode h = body.putObject("Healthcheck");
        if (healthCmd != null && !healthCmd.isEmpty()) {
            h.putArray("Test").add("CMD-SHELL").add(healthCmd);
        }
        h.put("Interval", nanos("--health-interval", healthInterval));
        h.put("Timeout", nanos("--health-timeout", healthTimeout));
        h.put("StartPeriod", nanos("--health-start-period", healthStartPeriod));
        h.put("StartInterval", nanos("--health-start-interval", healthStartInterval));
        if (healthRetries != null && healthRetries < 0) {
            throw new IllegalArgumentException("--health-retries cannot be negative");
        }
        h.put("Retries", healthRetries == null ? 0 : healthRetries);
    }

    private static long nanos(String flag, Duration d) {
        if (d == null) {
            return 0;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(flag + " cannot be negative");
        }
        return d.toNanos();
    }

    /** Go duration flags ("30s", "1m30s", "500ms"), as docker's pflag duration values. */
    static final class GoDuration implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** -e and --env-file, in docker's order (files first); a bare NAME takes its value from the local environment. */
    List<String> environment(Map<String, String> localEnv) {
        List<String> out = new ArrayList<>();
        for (String file : envFiles) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                throw new CliException("open " + file + ": no such file or directory", 125);
            }
            for (String line : lines) {
                String trimmed = line.stripLeading();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                out.add(expand(trimmed, localEnv));
            }
        }
        for (String e : env) {
            out.add(expand(e, localEnv));
        }
        return out;
    }

    private static String expand(String entry, Map<String, String> localEnv) {
        if (entry.indexOf('=') >= 0) {
            return entry;
        }
        String value = localEnv.get(entry);
        return value == null ? entry : entry + "=" + value;
    }

    /** -m values such as "512m", parsed as docker's opts.MemBytes (binary units). */
    public static final class MemoryBytes implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Units.ramInBytes(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** --cpus values such as "1.5", in billionths of a CPU as docker's opts.NanoCPUs. */
    static final class NanoCpus implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return new BigDecimal(value).multiply(BigDecimal.valueOf(1_000_000_000L)).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new CommandLine.TypeConversionException("failed to parse " + value + " as a rational number");
            }
        }
    }
}
