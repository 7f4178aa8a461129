package dev.berth.engine.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files the engine bind-mounts over a container's {@code /etc/hostname}, {@code /etc/hosts} and
 * {@code /etc/resolv.conf}, written as Docker writes them.
 */
final class EtcFiles {
    private static final Path HOST_RESOLV = Path.of("/etc/resolv.conf");
    private static final Path HOST_HOSTS = Path.of("/etc/hosts");
    /** Docker's fallback when the host only lists resolvers on loopback, which a container cannot reach. */
    private static final List<String> DEFAULT_NAMESERVERS = List.of("nameserver 8.8.8.8", "nameserver 8.8.4.4");

    private EtcFiles() {}

    static void write(Path dir, ContainerSettings s) throws IOException {
        write(dir, s, new ContainerNetworking.Setup(null, List.of(), List.of(), null, null));
    }

    /**
     * With the container's addresses: as Docker, {@code /etc/hosts} ends with a line per address naming the hostname, and
     * on user-defined networks {@code resolv.conf} names the network's DNS server (aardvark-dns on the gateway).
     */
    static void write(Path dir, ContainerSettings s, ContainerNetworking.Setup net) throws IOException {
        String hostname = s.hostname();
        Files.writeString(dir.resolve("hostname"), hostname + "\n");
        boolean hostNetwork = "host".equals(s.networkMode());
        StringBuilder self = new StringBuilder();
        net.addresses().forEach(a -> self.append(a).append('\t').append(hostname).append('\n'));
        Files.writeString(dir.resolve("hosts"), hostNetwork && Files.isReadable(HOST_HOSTS)
                ? Files.readString(HOST_HOSTS) + extraHosts(s, net.hostGateway())
                : hosts(s, net.hostGateway()) + self);
        Files.writeString(dir.resolve("resolv.conf"), resolvConf(s, hostNetwork, net.nameservers()));
    }

    private static String hosts(ContainerSettings s, String hostGateway) {
        return "127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "fe00::\tip6-localnet\n"
                + "ff00::\tip6-mcastprefix\n"
                + "ff02::1\tip6-allnodes\n"
                + "ff02::2\tip6-allrouters\n"
                + extraHosts(s, hostGateway);
    }

    /** {@code --add-host name:ip}; {@code host-gateway} is the default bridge's address, as Docker's. */
    private static String extraHosts(ContainerSettings s, String hostGateway) {
        StringBuilder b = new StringBuilder();
        if (s.extraHosts() != null) {
            for (String entry : s.extraHosts()) {
                int colon = entry.indexOf(':');
                if (colon > 0) {
                    String ip = entry.substring(colon + 1);
                    if (ip.equals("host-gateway") && hostGateway != null) {
                        ip = hostGateway;
                    }
                    b.append(ip).append('\t').append(entry, 0, colon).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static String resolvConf(ContainerSettings s, boolean hostNetwork, List<String> networkDns)
            throws IOException {
        List<String> host = Files.isReadable(HOST_RESOLV) ? Files.readAllLines(HOST_RESOLV) : List.of();
        List<String> nameservers = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String line : host) {
            String t = line.trim();
            if (t.startsWith("nameserver")) {
                String addr = t.substring("nameserver".length()).trim();
                if (hostNetwork || !(addr.startsWith("127.") || addr.equals("::1"))) {
                    nameservers.add("nameserver " + addr);
                }
            } else if (t.startsWith("search") || t.startsWith("options") || t.startsWith("domain")) {
                other.add(t);
            }
        }
        if (s.dns() != null && !s.dns().isEmpty()) {
            nameservers = s.dns().stream().map(d -> "nameserver " + d).toList();
        } else if (!networkDns.isEmpty()) {
            // aardvark-dns answers container names and forwards the rest to the host's resolvers
            nameservers = networkDns.stream().distinct().map(d -> "nameserver " + d).toList();
        } else if (nameservers.isEmpty()) {
            nameservers = DEFAULT_NAMESERVERS;
        }
        if (s.dnsSearch() != null && !s.dnsSearch().isEmpty()) {
            other.removeIf(l -> l.startsWith("search") || l.startsWith("domain"));
            other.add("search " + String.join(" ", s.dnsSearch()));
        }
        if (s.dnsOptions() != null && !s.dnsOptions().isEmpty()) {
            other.removeIf(l -> l.startsWith("options"));
            other.add("options " + String.join(" ", s.dnsOptions()));
        }
        StringBuilder b = new StringBuilder();
        other.stream().filter(l -> !l.startsWith("options")).forEach(l -> b.append(l).append('\n'));
        nameservers.forEach(l -> b.append(l).append('\n'));
        other.stream().filter(l -> l.startsWith("options")).forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }
}
