package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Drives netavark, Podman's network backend: it makes the bridge, the veth pair, the firewall rules (NAT, published
 * ports) and feeds aardvark-dns, from one JSON document on its stdin. The document given to {@code setup} is the one
 * {@code teardown} needs, so callers keep it (see {@link #options}) to undo a setup even after a daemon crash.
 *
 * <p>Calls are serialised, as Podman serialises them: netavark 1.4 does not lock its firewall work, and a teardown
 * that removes a network's last container (and its chains) racing a setup on the same network fails the setup. The
 * firewall chains are the machine's, and two daemons (or a daemon and Podman) creating them at once fail with "Chain
 * already exists": calls are serialised machine-wide, on {@link #MACHINE_LOCK}, not just in this process.
 */
public final class Netavark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;
    private static final Path MACHINE_LOCK = Path.of("/run/berth-netavark.lock");
    private static final Object PROCESS_LOCK = new Object(); // a file lock is held per process, not per thread

    private final Path binary;
    private final Path aardvark;
    private final Path configDir;
    private final DirectBridge direct = new DirectBridge();

    /**
     * @param configDir netavark's state (aardvark-dns's name lists and lock); one per daemon
     */
    public Netavark(Path binary, Path aardvark, Path configDir) {
        this.binary = binary;
        this.aardvark = aardvark;
        this.configDir = configDir;
    }

    /** Debian's podman layout: both binaries under {@code /usr/lib/podman}. */
    public static Netavark installed(Path configDir) {
        return new Netavark(Path.of("/usr/lib/podman/netavark"), Path.of("/usr/lib/podman/aardvark-dns"), configDir);
    }

    /** The JSON netavark reads: the container, its attachments and its published ports. */
    public static String options(String containerId, String containerName, List<Attachment> attachments,
            List<PortMapping> ports) {
        ObjectNode root = JSON.createObjectNode();
        root.put("container_id", containerId);
        root.put("container_name", containerName);
        ObjectNode networks = root.putObject("networks");
        ObjectNode info = root.putObject("network_info");
        for (Attachment a : attachments) {
            ObjectNode n = networks.putObject(a.networkName());
            ArrayNode ips = n.putArray("static_ips").add(a.ip());
            ArrayNode aliases = n.putArray("aliases");
            a.aliases().forEach(aliases::add);
            n.put("interface_name", a.interfaceName());
            if (a.mac() != null && !a.mac().isEmpty()) {
                n.put("static_mac", a.mac());
            }
            ObjectNode net = info.putObject(a.networkName());
            net.put("name", a.networkName());
            net.put("id", a.networkId());
            net.put("driver", "bridge");
            net.put("network_interface", a.bridge());
            ArrayNode subnets = net.putArray("subnets");
            ObjectNode subnet = subnets.addObject();
            subnet.put("subnet", a.subnet().toString());
            subnet.put("gateway", a.gateway());
            if (a.ipv6() != null) {
                ips.add(a.ipv6().ip());
                subnets.addObject().put("subnet", a.ipv6().subnet().toString())
                        .put("gateway", a.ipv6().gateway());
            }
            net.put("ipv6_enabled", a.ipv6() != null);
            net.put("internal", a.internal());
            net.put("dns_enabled", a.dns());
            net.putObject("options");
            net.putObject("ipam_options").put("driver", "host-local");
        }
        ArrayNode pm = root.putArray("port_mappings");
        for (PortMapping p : ports) {
            pm.addObject().put("host_ip", p.hostIp()).put("container_port", p.containerPort())
                    .put("host_port", p.hostPort()).put("range", 1).put("protocol", p.protocol());
        }
        return root.toString();
    }

    /**
     * Sets up {@code netns}; returns each network's MAC address of the container's interface. A plain bridge without
     * DNS, the default bridge, is wired by {@link DirectBridge}, much faster than netavark.
     */
    public Map<String, String> setup(Path netns, String options) throws IOException {
        JsonNode doc = JSON.readTree(options);
        if (DirectBridge.handles(doc)) {
            return direct.setup(netns, doc);
        }
        JsonNode result = JSON.readTree(run("setup", netns, options));
        Map<String, String> macs = new LinkedHashMap<>();
        result.properties().forEach(e -> e.getValue().path("interfaces").properties()
                .forEach(i -> macs.put(e.getKey(), i.getValue().path("mac_address").asText(""))));
        return macs;
    }

    /**
     * Undoes {@link #setup} with the same options: veths, firewall rules, DNS entries, and idle bridges. A namespace
     * already gone took its interfaces along; what remains outside it is undone all the same where Berth wired it.
     */
    public void teardown(Path netns, String options) throws IOException {
        JsonNode doc = JSON.readTree(options);
        if (DirectBridge.handles(doc)) {
            direct.teardown(doc);
        } else if (Files.exists(netns)) {
            run("teardown", netns, options);
        }
    }

    /**
     * Removes the default bridge {@code defaultBridge} and its rules if no container is left on it: the next daemon
     * makes them again.
     */
    public void close(String defaultBridge) throws IOException {
        direct.close(defaultBridge);
    }

    private String run(String verb, Path netns, String options) throws IOException {
        synchronized (PROCESS_LOCK) {
            try (FileChannel lock = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock held = lock.lock();
                try {
                    return runLocked(verb, netns, options);
                } finally {
                    held.release();
                }
            }
        }
    }

    private String runLocked(String verb, Path netns, String options) throws IOException {
        Files.createDirectories(configDir);
        Process p = new ProcessBuilder(binary.toString(), "--config", configDir.toString(), "--rootless", "false",
                "--aardvark-binary", aardvark.toString(), verb, netns.toString())
                .redirectErrorStream(false).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(options.getBytes(StandardCharsets.UTF_8));
        }
        byte[] err;
        byte[] out;
        try (InputStream o = p.getInputStream(); InputStream e = p.getErrorStream()) {
            byte[][] errBox = new byte[1][];
            Thread errReader = Thread.ofVirtual().start(() -> {
                try {
                    errBox[0] = e.readAllBytes();
                } catch (IOException x) {
                    errBox[0] = new byte[0];
                }
            });
            out = o.readAllBytes();
            errReader.join();
            err = errBox[0];
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("netavark " + verb + " timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running netavark " + verb, e);
        }
        String stdout = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            String message = new String(err, StandardCharsets.UTF_8).strip();
            try {
                JsonNode j = JSON.readTree(stdout);
                if (j != null && j.has("error")) {
                    message = j.get("error").asText();
                }
            } catch (IOException ignored) {
                // not JSON: keep stderr
            }
            throw new IOException("netavark " + verb + ": " + message);
        }
        return stdout;
    }
}
