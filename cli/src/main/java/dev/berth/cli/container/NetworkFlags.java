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
            exposed.putObject(e.contains("/") ? e : e + "/tcp");
        }
        ObjectNode bindings = host.putObject("PortBindings");
        for (String p : publish) {
            Binding b = parse(p);
            exposed.putObject(b.key());
            ArrayNode list = bindings.has(b.key()) ? (ArrayNode) bindings.get(b.key()) : bindings.putArray(b.key());
            list.addObject().put("HostIp", b.hostIp()).put("HostPort", b.hostPort());
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

    /** docker's nat.ParsePortSpec: {@code [ip:][hostPort:]containerPort[/proto]}. */
    static Binding parse(String spec) {
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
        if (!containerPort.matches("[0-9]+") || (!hostPort.isEmpty() && !hostPort.matches("[0-9]+"))
                || !List.of("tcp", "udp", "sctp").contains(proto)) {
            throw new CliException("invalid argument \"" + spec + "\" for \"-p, --publish\" flag: Invalid "
                    + (List.of("tcp", "udp", "sctp").contains(proto) ? "containerPort: " + containerPort
                            : "proto: " + proto), 125);
        }
        return new Binding(ip, hostPort, containerPort, proto);
    }
}
