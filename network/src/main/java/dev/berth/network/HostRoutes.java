package dev.berth.network;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The host's IPv4 routes, from {@code /proc/net/route}, and IPv6 routes, from {@code /proc/net/ipv6_route}: a new
 * network must not hide a route the host already uses (a VPN, the LAN), which Docker silently breaks.
 */
public final class HostRoutes {
    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final Path ROUTES6 = Path.of("/proc/net/ipv6_route");

    private HostRoutes() {}

    public record Route(String iface, Ipv4Subnet destination) {}

    public static List<Route> read() throws IOException {
        List<Route> routes = new ArrayList<>();
        List<String> lines = Files.readAllLines(ROUTES);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            int dest = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
            int mask = Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16));
            routes.add(new Route(f[0], new Ipv4Subnet(dest, Integer.bitCount(mask))));
        }
        return routes;
    }

    public record Route6(String iface, Ipv6Subnet destination) {}

    /** The IPv6 routes (none when the kernel has IPv6 off): destination, prefix length, ..., interface last. */
    public static List<Route6> read6() throws IOException {
        List<Route6> routes = new ArrayList<>();
        if (!Files.exists(ROUTES6)) {
            return routes;
        }
        for (String line : Files.readAllLines(ROUTES6)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                continue;
            }
            routes.add(new Route6(f[9], new Ipv6Subnet(new BigInteger(f[0], 16), Integer.parseInt(f[1], 16))));
        }
        return routes;
    }

    /** As {@link #overlapping}, for an IPv6 network. */
    public static java.util.Optional<Route6> overlapping6(Ipv6Subnet subnet, Set<String> ignoredIfaces)
            throws IOException {
        return read6().stream().filter(r -> r.destination().prefix() > 0 && !ignoredIfaces.contains(r.iface())
                && r.destination().overlaps(subnet)).findFirst();
    }

    /** The first route, other than the default route and those through {@code ignoredIfaces}, that overlaps. */
    public static java.util.Optional<Route> overlapping(Ipv4Subnet subnet, Set<String> ignoredIfaces)
            throws IOException {
        return read().stream().filter(r -> r.destination().prefix() > 0 && !ignoredIfaces.contains(r.iface())
                && r.destination().overlaps(subnet)).findFirst();
    }
}
