package dev.berth.cli.container;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.CliException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The network flags of {@code run} and {@code create}, turned into the create body as docker/cli does. */
public final class NetworkFlags {
    @Option(names = {"-p", "--publish"}, paramLabel = "list", description = "Publish a container's port(s) to the host")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to random ports")
    boolean publishAll;

    @Option(names = "--expose", paramLabel = "list", description = "Expose a port or a range of ports")
    List<String> expose = new ArrayList<>();

    @Option(names = "--network-alias", paramLabel = "list", description = "Add network-scoped alias for the container")
    List<String> aliases = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., 172.30.100.104)")
    String ip;

    @Option(names = "--ip6", paramLabel = "string", description = "IPv6 address (e.g., 2001:db8::33)")
    String ip6;

    @Option(names = "--mac-address", paramLabel = "string", description = "Container MAC address (e.g., 92:d0:c6:0a:29:33)")
    String mac;

    @Option(names = "--dns", paramLabel = "list", description = "Set custom DNS servers")
    List<String> dns = new ArrayList<>();

    @Option(names = "--dns-search", paramLabel = "list", description = "Set custom DNS search domains")
    List<String> dnsSearch = new ArrayList<>();

    @Option(names = {"--dns-option", "--dns-opt"}, paramLabel = "list", description = "Set DNS options")
    List<String> dnsOptions = new ArrayList<>();

    @Option(names = "--add-host", paramLabel = "list", description = "Add a custom host-to-IP mapping (host:ip)")
    List<String> addHosts = new ArrayList<>();

    /** Fills ExposedPorts, the HostConfig's ports and DNS, and the endpoint of {@code network}. */
    void apply(ObjectNode body, ObjectNode host, ObjectNode endpoints, String network) {
        ObjectNode exposed = body.putObject("ExposedPorts");
        for (String e : expose) {
            exposeRange(e).forEach(exposed::putObject);
        }
        ObjectNode bindings = host.putObject("PortBindings");
        for (String p : publish) {
            for (Binding b : parse(p)) {
                exposed.putObject(b.key());
                ArrayNode list = bindings.has(b.key()) ? (ArrayNode) bindings.get(b.key()) : bindings.putArray(b.key());
                list.addObject().put("HostIp", b.hostIp()).put("HostPort", b.hostPort());
            }
        }
        if (exposed.isEmpty()) {
            body.remove("ExposedPorts");
        }
        host.put("PublishAllPorts", publishAll);
        strings(host.putArray("Dns"), dns);
        strings(host.putArray("DnsSearch"), dnsSearch);
        strings(host.putArray("DnsOptions"), dnsOptions);
        for (String h : addHosts) {
            if (h.indexOf(':') <= 0) {
                throw new CliException("invalid argument \"" + h + "\" for \"--add-host\" flag: bad format for add-host: \""
                        + h + "\"", 125);
            }
        }
        strings(host.putArray("ExtraHosts"), addHosts);
        if (mac != null) {
            body.put("MacAddress", mac);
        }
        if (!aliases.isEmpty() || ip != null || ip6 != null || mac != null) {
            String name = network == null ? "default" : network;
            ObjectNode endpoint = endpoints.has(name) ? (ObjectNode) endpoints.get(name) : endpoints.putObject(name);
            if (!aliases.isEmpty()) {
                strings(endpoint.putArray("Aliases"), aliases);
            }
            if (ip != null || ip6 != null) {
                ObjectNode ipam = endpoint.putObject("IPAMConfig");
                if (ip != null) {
                    ipam.put("IPv4Address", ip);
                }
                if (ip6 != null) {
                    ipam.put("IPv6Address", ip6);
                }
            }
            if (mac != null) {
                endpoint.put("MacAddress", mac);
            }
        }
    }

    private static void strings(ArrayNode node, List<String> values) {
        values.forEach(node::add);
    }

    record Binding(String hostIp, String hostPort, String containerPort, String proto) {
        String key() {
            return containerPort + "/" + proto;
        }
    }

    /** docker/cli's {@code --expose}: {@code port[/proto]} or {@code first-last[/proto]}, one key per port. */
    static List<String> exposeRange(String spec) {
        if (spec.contains(":")) {
            throw new CliException("invalid port format for --expose: " + spec, 125);
        }
        int slash = spec.indexOf('/');
        String proto = slash < 0 ? "tcp" : spec.substring(slash + 1);
        int[] range;
        try {
            range = range(slash < 0 ? spec : spec.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid range format for --expose: " + spec + ", error: " + e.getMessage(), 125);
        }
        List<String> out = new ArrayList<>();
        for (int p = range[0]; p <= range[1]; p++) {
            out.add(p + "/" + proto);
        }
        return out;
    }

    /**
     * docker's nat.ParsePortSpec: {@code [ip:][hostPort:]containerPort[/proto]}, where both ports may be ranges of the
     * same size, or a host range given for one container port (the daemon takes the first free port in it).
     */
    static List<Binding> parse(String spec) {
        String rest = spec;
        String proto = "tcp";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            proto = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String ip = "";
        String hostPort = "";
        String containerPort;
        int last = rest.lastIndexOf(':');
        if (last < 0) {
            containerPort = rest;
        } else {
            containerPort = rest.substring(last + 1);
            String front = rest.substring(0, last);
            int colon = front.lastIndexOf(':');
            if (colon < 0) {
                hostPort = front;
            } else {
                hostPort = front.substring(colon + 1);
                ip = front.substring(0, colon);
                if (ip.startsWith("[") && ip.endsWith("]")) {
                    ip = ip.substring(1, ip.length() - 1);
                }
            }
        }
        if (!List.of("tcp", "udp", "sctp").contains(proto)) {
            throw invalid(spec, "proto: " + proto);
        }
        int[] ports;
        int[] hosts = null;
        try {
            ports = range(containerPort);
        } catch (IllegalArgumentException e) {
            throw invalid(spec, "containerPort: " + containerPort);
        }
        if (!hostPort.isEmpty()) {
            try {
                hosts = range(hostPort);
            } catch (IllegalArgumentException e) {
                throw invalid(spec, "hostPort: " + hostPort);
            }
            if (ports[1] - ports[0] != hosts[1] - hosts[0] && ports[0] != ports[1]) {
                throw new CliException("invalid ranges specified for container and host Ports: " + containerPort
                        + " and " + hostPort, 125);
            }
        }
        List<Binding> out = new ArrayList<>();
        int count = ports[1] - ports[0] + 1;
        for (int i = 0; i < count; i++) {
            String host = "";
            if (hosts != null) {
                // one container port and a host range: the daemon takes the first free port of the range
                host = count == 1 && hosts[0] != hosts[1] ? hosts[0] + "-" + hosts[1] : Integer.toString(hosts[0] + i);
            }
            out.add(new Binding(ip, host, Integer.toString(ports[0] + i), proto));
        }
        return out;
    }

    private static CliException invalid(String spec, String what) {
        return new CliException("invalid argument \"" + spec + "\" for \"-p, --publish\" flag: Invalid " + what, 125);
    }

    /** go-connections' port range: {@code port} or {@code first-last}, within 0-65535. */
    private static int[] range(String ports) {
        int dash = ports.indexOf('-');
        int first = port(dash < 0 ? ports : ports.substring(0, dash));
        int end = dash < 0 ? first : port(ports.substring(dash + 1));
        if (end < first) {
            throw new IllegalArgumentException("invalid port range: " + ports);
        }
        return new int[] {first, end};
    }

    private static int port(String s) {
        if (!s.matches("[0-9]{1,5}") || Integer.parseInt(s) > 65535) {
            throw new IllegalArgumentException("invalid port '" + s + "'");
        }
        return Integer.parseInt(s);
    }
}
