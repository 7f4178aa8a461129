package dev.berth.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Wires containers to a plain bridge (IPv4, no DNS, not internal: the default bridge) the way Docker's bridge driver
 * does, without netavark: its 1.4 re-checks, and for a network's only container creates and later deletes, every
 * firewall rule of the network on each setup and teardown, some forty {@code iptables} runs per {@code run --rm}. Here
 * the network's rules are made once per daemon and stay while it runs; a container costs two {@code ip} runs, one
 * {@code iptables-restore} when it publishes ports, and one {@code ip} run to undo.
 *
 * <p>It reads the same document as netavark (see {@link Netavark#options}), so what a crashed daemon kept of a setup
 * undoes it here too. Rules carry a comment naming their bridge ({@code berth BRIDGE}) or their container
 * ({@code berth ID}); published ports live in a chain of the bridge's own, {@code BERTH-BRIDGE}.
 */
final class DirectBridge {
    private static final long TIMEOUT_SECONDS = 60;
    private static final Path NET = Path.of("/sys/class/net");
    /** The interface alias of the bridges Berth creates, so that only those are ever deleted. */
    private static final String MADE_HERE = "berth";

    private final long daemonPid = ProcessHandle.current().pid();
    private final Set<String> ready = new HashSet<>(); // bridges whose device and rules this daemon has made

    /**
     * Whether netavark's input describes a network this class wires: one IPv4 bridge without DNS, not internal, and
     * an address and MAC chosen for the container.
     */
    static boolean handles(JsonNode options) {
        JsonNode info = options.path("network_info");
        if (info.size() != 1) {
            return false;
        }
        Map.Entry<String, JsonNode> only = info.properties().iterator().next();
        JsonNode mine = options.path("networks").path(only.getKey());
        JsonNode net = only.getValue();
        return !mine.path("static_ips").path(0).asText().isEmpty() && !mine.path("static_mac").asText().isEmpty()
                && net.path("driver").asText().equals("bridge") && !net.path("dns_enabled").asBoolean()
                && !net.path("internal").asBoolean() && !net.path("ipv6_enabled").asBoolean()
                && net.path("subnets").size() == 1;
    }

    /** Sets the container up on the bridge; returns its network's MAC address, as netavark reports it. */
    Map<String, String> setup(Path netns, JsonNode options) throws IOException {
        Wire w = Wire.of(options);
        synchronized (this) {
            if (!ready.contains(w.bridge) || !Files.exists(NET.resolve(w.bridge))) {
                prepareBridge(w);
                ready.add(w.bridge);
            }
        }
        String hostVeth = hostVeth(options);
        if (Files.exists(NET.resolve(hostVeth))) {
            run(List.of("ip", "link", "del", hostVeth), null); // a crash's leftover holding the name
        }
        StringBuilder inside = new StringBuilder()
                .append("link set lo up\n")
                .append("link add ").append(w.iface).append(" address ").append(w.mac).append(" type veth peer name ")
                .append(hostVeth).append(" netns ").append(daemonPid).append('\n')
                .append("addr add ").append(w.ip).append('/').append(w.subnet.prefix()).append(" dev ").append(w.iface)
                .append('\n')
                .append("link set ").append(w.iface).append(" up\n");
        if (w.iface.equals("eth0")) {
            inside.append("route add default via ").append(w.gateway).append(" dev ").append(w.iface).append('\n');
        }
        run(List.of("nsenter", "--net=" + netns, "ip", "-batch", "-"), inside.toString());
        try {
            run(List.of("ip", "link", "set", hostVeth, "master", w.bridge, "up"), null);
            if (!w.ports.isEmpty()) {
                restore(portRules(w, "-A"));
            }
        } catch (IOException e) {
            run(List.of("ip", "link", "del", hostVeth), null);
            throw e;
        }
        return Map.of(w.network, w.mac);
    }

    /** Undoes {@link #setup}: the veth pair and the container's port rules. Parts already gone are fine. */
    void teardown(JsonNode options) throws IOException {
        Wire w = Wire.of(options);
        String hostVeth = hostVeth(options);
        if (Files.exists(NET.resolve(hostVeth))) {
            try {
                run(List.of("ip", "link", "del", hostVeth), null);
            } catch (IOException e) {
                if (Files.exists(NET.resolve(hostVeth))) { // not raced by the namespace's end
                    throw e;
                }
            }
        }
        if (!w.ports.isEmpty()) {
            try {
                restore(portRules(w, "-D"));
            } catch (IOException e) {
                // some rule is missing (a crash mid-setup): delete whatever carries the container's comment
                restore(deletions(save(), comment(w.containerId)));
            }
        }
    }

    /**
     * Removes the rules and the device of each bridge this daemon prepared, and of {@code also} (an earlier daemon's,
     * when this one started no container), that no container uses any more; a bridge with containers (they outlive the
     * daemon) keeps everything.
     */
    synchronized void close(String also) throws IOException {
        Set<String> bridges = new HashSet<>(ready);
        if (also != null && Files.exists(NET.resolve(also))) {
            bridges.add(also);
        }
        for (String bridge : bridges) {
            Path ports = NET.resolve(bridge).resolve("brif");
            boolean idle;
            try (Stream<Path> s = Files.exists(ports) ? Files.list(ports) : Stream.empty()) {
                idle = s.findAny().isEmpty();
            }
            if (idle) {
                String saved = save();
                StringBuilder script = new StringBuilder(deletions(saved, comment(bridge)));
                if (saved.contains(":" + chain(bridge) + " ")) {
                    script.append("*nat\n-F ").append(chain(bridge)).append("\n-X ").append(chain(bridge))
                            .append("\nCOMMIT\n");
                }
                restore(script.toString());
                if (madeHere(bridge)) { // a bridge the user made and named in daemon.json stays
                    run(List.of("ip", "link", "del", bridge), null);
                }
            }
        }
        ready.clear();
    }

    /** The bridge device with its address, forwarding, and the network's rules, replacing any an earlier daemon left. */
    private void prepareBridge(Wire w) throws IOException {
        StringBuilder link = new StringBuilder();
        if (!Files.exists(NET.resolve(w.bridge))) {
            link.append("link add ").append(w.bridge).append(" type bridge\n")
                    .append("link set ").append(w.bridge).append(" alias ").append(MADE_HERE).append('\n');
        }
        link.append("addr replace ").append(w.gateway).append('/').append(w.subnet.prefix()).append(" dev ")
                .append(w.bridge).append('\n').append("link set ").append(w.bridge).append(" up\n");
        run(List.of("ip", "-batch", "-"), link.toString());
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
        // published ports answer on 127.0.0.1 too: the kernel must route loopback-sourced packets to the bridge
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", w.bridge, "route_localnet"), "1");

        String saved = save();
        String c = comment(w.bridge);
        String subnet = w.subnet.toString();
        StringBuilder script = new StringBuilder(deletions(saved, c));
        script.append("*nat\n");
        if (!saved.contains(":" + chain(w.bridge) + " ")) {
            script.append(':').append(chain(w.bridge)).append(" - [0:0]\n");
        }
        script.append("-A POSTROUTING -s ").append(subnet).append(" ! -o ").append(w.bridge).append(c)
                .append(" -j MASQUERADE\n")
                // a container reaching a published port of the bridge through a host address: the answer must come back
                // through the host, not straight from the other container
                .append("-A POSTROUTING -s ").append(subnet).append(" -o ").append(w.bridge)
                .append(" -m conntrack --ctstate DNAT").append(c).append(" -j MASQUERADE\n")
                .append("-A POSTROUTING -s 127.0.0.0/8 -o ").append(w.bridge).append(c).append(" -j MASQUERADE\n")
                .append("-A PREROUTING -m addrtype --dst-type LOCAL").append(c).append(" -j ").append(chain(w.bridge))
                .append('\n')
                .append("-A OUTPUT -m addrtype --dst-type LOCAL").append(c).append(" -j ").append(chain(w.bridge))
                .append("\nCOMMIT\n*filter\n")
                .append("-I FORWARD -i ").append(w.bridge).append(c).append(" -j ACCEPT\n")
                .append("-I FORWARD -o ").append(w.bridge).append(" -m conntrack --ctstate RELATED,ESTABLISHED,DNAT")
                .append(c).append(" -j ACCEPT\nCOMMIT\n");
        restore(script.toString());
    }

    private static String portRules(Wire w, String verb) {
        StringBuilder s = new StringBuilder("*nat\n");
        for (JsonNode p : w.ports) {
            String hostIp = p.path("host_ip").asText("");
            String protocol = p.path("protocol").asText("tcp");
            s.append(verb).append(' ').append(chain(w.bridge));
            if (!hostIp.isEmpty() && !hostIp.equals("0.0.0.0")) {
                s.append(" -d ").append(hostIp).append("/32");
            }
            s.append(" -p ").append(protocol).append(" -m ").append(protocol).append(" --dport ")
                    .append(p.path("host_port").asInt()).append(comment(w.containerId)).append(" -j DNAT --to-destination ")
                    .append(w.ip).append(':').append(p.path("container_port").asInt()).append('\n');
        }
        return s.append("COMMIT\n").toString();
    }

    /** An {@code iptables-restore} script deleting every rule of {@code saved} that carries {@code comment}. */
    static String deletions(String saved, String comment) {
        StringBuilder script = new StringBuilder();
        String table = null;
        List<String> rules = new ArrayList<>();
        for (String line : (saved + "\n*end").lines().toList()) {
            if (line.startsWith("*")) {
                if (table != null && !rules.isEmpty()) {
                    script.append('*').append(table).append('\n');
                    rules.forEach(r -> script.append(r).append('\n'));
                    script.append("COMMIT\n");
                }
                table = line.substring(1);
                rules.clear();
            } else if (line.startsWith("-A ") && line.contains(comment + " ")) {
                rules.add("-D " + line.substring(3));
            }
        }
        return script.toString();
    }

    private static boolean madeHere(String bridge) throws IOException {
        Path alias = NET.resolve(bridge).resolve("ifalias");
        return Files.exists(alias) && Files.readString(alias).strip().equals(MADE_HERE);
    }

    private static String chain(String bridge) {
        return "BERTH-" + bridge;
    }

    private static String comment(String what) {
        return " -m comment --comment \"berth " + what + "\"";
    }

    /** The host end of the container's veth pair: named after the container, so a teardown finds it without state. */
    private static String hostVeth(JsonNode options) {
        return "vb" + options.path("container_id").asText().substring(0, 12);
    }

    private static String save() throws IOException {
        return run(List.of("iptables-save", "-t", "nat"), null) + run(List.of("iptables-save", "-t", "filter"), null);
    }

    private static void restore(String script) throws IOException {
        if (!script.isEmpty()) {
            run(List.of("iptables-restore", "--noflush", "--wait"), script);
        }
    }

    private static String run(List<String> command, String stdin) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try (InputStream out = p.getInputStream()) {
            String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.getFirst() + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": " + output.strip());
            }
            return output;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }

    /** What one setup document says of its only network. */
    private record Wire(String containerId, String network, String bridge, Ipv4Subnet subnet, String gateway,
            String iface, String ip, String mac, JsonNode ports) {
        static Wire of(JsonNode options) {
            Map.Entry<String, JsonNode> info = options.path("network_info").properties().iterator().next();
            JsonNode net = info.getValue();
            JsonNode subnet = net.path("subnets").get(0);
            JsonNode mine = options.path("networks").path(info.getKey());
            String ip = mine.path("static_ips").path(0).asText();
            return new Wire(options.path("container_id").asText(), info.getKey(), net.path("network_interface").asText(),
                    Ipv4Subnet.parse(subnet.path("subnet").asText()), subnet.path("gateway").asText(),
                    mine.path("interface_name").asText("eth0"), ip, mine.path("static_mac").asText(),
                    options.path("port_mappings"));
        }
    }
}
