package dev.berth.registry.server;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code berth registry serve|start|stop|status|gc}: the registry server's own entry point. The {@code berth}
 * launcher hands {@code berth registry ...} to it (the CLI module talks only to the Engine API; the registry server
 * does not need the daemon).
 *
 * <p>{@code serve} runs in the foreground and writes {@code <root>/registry.pid}; {@code start} runs {@code serve} in
 * the background with its output in {@code <root>/registry.log}; {@code stop} and {@code status} use the pid file.
 */
public final class RegistryMain {
    static final String DEFAULT_ROOT = "/var/lib/berth/registry";
    private static final Set<String> VALUE_FLAGS = Set.of("--addr", "--root", "--htpasswd", "--tls-cert",
            "--tls-key", "--gc-interval", "--gc-grace", "--grace");

    private static final String USAGE = """
            Usage:  berth registry COMMAND [OPTIONS]

            Run an OCI distribution registry

            Commands:
              serve    Run the registry in the foreground
              start    Run the registry in the background
              stop     Stop a registry started with start or serve
              status   Show whether a registry runs on a root directory
              gc       Delete blobs no manifest refers to (safe while the registry runs)

            Options:
                  --addr string          Address to listen on (default ":5000")
                  --root string          Storage directory (default "/var/lib/berth/registry")
                  --htpasswd string      htpasswd file (bcrypt entries) for Basic authentication
                  --tls-cert string      PEM certificate chain for HTTPS
                  --tls-key string       PEM private key (PKCS#8) for HTTPS
                  --gc-interval string   Collect garbage periodically while serving, e.g. 1h (default: never)
                  --gc-grace string      Keep unreferenced blobs younger than this (default 1h)
                  --grace string         (gc) same as --gc-grace
            """;

    private RegistryMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 1 : 0;
        }
        Map<String, String> flags = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.print(USAGE);
                return 0;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (VALUE_FLAGS.contains(name)) {
                if (a.contains("=")) {
                    flags.put(name, a.substring(a.indexOf('=') + 1));
                } else if (i + 1 < args.length) {
                    flags.put(name, args[++i]);
                } else {
                    err.println("flag needs an argument: " + a);
                    return 125;
                }
            } else if (a.startsWith("-")) {
                err.println("unknown flag: " + a);
                err.println("See 'berth registry --help'.");
                return 125;
            } else {
                rest.add(a);
            }
        }
        if (!rest.isEmpty()) {
            err.println("\"berth registry " + args[0] + "\" accepts no arguments.");
            return 125;
        }
        Path root = Path.of(flags.getOrDefault("--root", DEFAULT_ROOT)).toAbsolutePath();
        try {
            return switch (args[0]) {
                case "serve" -> serve(options(flags, root), err);
                case "start" -> start(args, options(flags, root), out, err);
                case "stop" -> stop(root, out, err);
                case "status" -> status(root, out);
                case "gc" -> {
                    Duration grace = duration(flags.getOrDefault("--grace", flags.getOrDefault("--gc-grace", "1h")));
                    GarbageCollector.Result r = GarbageCollector.collect(root, grace);
                    out.printf("Deleted %d blobs (%d bytes) and %d stale uploads; %d blobs in use%n",
                            r.deletedBlobs(), r.freedBytes(), r.deletedUploads(), r.live());
                    yield 0;
                }
                default -> {
                    err.println("berth registry: '" + args[0] + "' is not a registry command.");
                    err.println("See 'berth registry --help'.");
                    yield 1;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("invalid argument: " + e.getMessage());
            return 125;
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static RegistryServer.Options options(Map<String, String> f, Path root) {
        Duration interval = f.containsKey("--gc-interval") ? duration(f.get("--gc-interval")) : null;
        return new RegistryServer.Options(address(f.getOrDefault("--addr", ":5000")), root,
                path(f.get("--htpasswd")), path(f.get("--tls-cert")), path(f.get("--tls-key")),
                interval, duration(f.getOrDefault("--gc-grace", "1h")));
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s).toAbsolutePath();
    }

    /** {@code :5000}, {@code 127.0.0.1:5000}, {@code [::1]:5000}, {@code localhost:5000}. */
    static InetSocketAddress address(String addr) {
        int colon = addr.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address " + addr + ": missing port in address");
        }
        String host = addr.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(addr.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address " + addr + ": invalid port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("address " + addr + ": invalid port");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}, {@code 0}. */
    static Duration duration(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.length() < 2) {
            throw new IllegalArgumentException("duration " + s);
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration " + s);
        }
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("duration " + s + " (use s, m, h or d)");
        };
    }

    private static int serve(RegistryServer.Options o, PrintStream err) throws IOException, InterruptedException {
        Path pidFile = o.root().resolve("registry.pid");
        Optional<ProcessHandle> running = running(o.root());
        if (running.isPresent() && running.get().pid() != ProcessHandle.current().pid()) {
            err.println("Error: a registry already runs on " + o.root() + " (pid " + running.get().pid() + ")");
            return 1;
        }
        RegistryServer server = RegistryServer.start(o, err::println);
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + o.address().getHostString() + ":"
                + server.port() + "\n");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // nothing more to do on the way out
            }
        }));
        err.println("registry listening on " + o.address().getHostString() + ":" + server.port()
                + (o.tlsCert() != null ? " (TLS)" : "") + ", storage in " + o.root());
        server.awaitClose();
        return 0;
    }

    private static int start(String[] args, RegistryServer.Options o, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        Optional<ProcessHandle> running = running(o.root());
        if (running.isPresent()) {
            err.println("Error: a registry already runs on " + o.root() + " (pid " + running.get().pid() + ")");
            return 1;
        }
        Files.createDirectories(o.root());
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RegistryMain.class.getName());
        cmd.add("serve");
        List<String> flags = new ArrayList<>(List.of(args).subList(1, args.length));
        if (flags.stream().noneMatch(a -> a.startsWith("--root"))) {
            flags.add("--root=" + o.root());
        }
        cmd.addAll(flags);
        Path log = o.root().resolve("registry.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Path pidFile = o.root().resolve("registry.pid");
        for (int i = 0; i < 200; i++) {
            if (!p.isAlive()) {
                err.println("Error: the registry did not start; see " + log);
                return 1;
            }
            if (Files.exists(pidFile) && Files.readString(pidFile).startsWith(p.pid() + "\n")) {
                out.println(p.pid());
                return 0;
            }
            Thread.sleep(50);
        }
        err.println("Error: the registry did not start within 10 seconds; see " + log);
        p.destroy();
        return 1;
    }

    private static int stop(Path root, PrintStream out, PrintStream err) throws InterruptedException {
        Optional<ProcessHandle> running = running(root);
        if (running.isEmpty()) {
            err.println("Error: no registry runs on " + root);
            return 1;
        }
        ProcessHandle h = running.get();
        h.destroy();
        for (int i = 0; i < 100 && h.isAlive(); i++) {
            Thread.sleep(100);
        }
        if (h.isAlive()) {
            h.destroyForcibly();
        }
        out.println(h.pid());
        return 0;
    }

    private static int status(Path root, PrintStream out) throws IOException {
        Optional<ProcessHandle> running = running(root);
        if (running.isEmpty()) {
            out.println("not running (" + root + ")");
            return 1;
        }
        List<String> lines = Files.readAllLines(root.resolve("registry.pid"));
        out.println("running (pid " + running.get().pid() + ", address " + (lines.size() > 1 ? lines.get(1) : "?")
                + ", root " + root + ")");
        return 0;
    }

    /** The registry process the pid file names, if it still runs. */
    private static Optional<ProcessHandle> running(Path root) {
        try {
            String first = Files.readAllLines(root.resolve("registry.pid")).getFirst().trim();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(RegistryMain.class.getName()))
                            .orElse(true));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
