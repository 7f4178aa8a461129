package dev.berth.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The host's IPv4 routes, from {@code /proc/net/route}: a new network must not hide a route the host already uses (a
 * VPN, the LAN), which Docker silently breaks.
 */
public final class HostRoutes {
    private static final Path ROUTES = Path.of("/proc/net/route");

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

    /** The first route, other than the default route and those through {@code ignoredIfaces}, that overlaps. */
    public static java.util.Optional<Route> overlapping(Ipv4Subnet subnet, Set<String> ignoredIfaces)
            throws IOException {
        return read().stream().filter(r -> r.destination().prefix() > 0 && !ignoredIfaces.contains(r.iface())
                && r.destination().overlaps(subnet)).findFirst();
    }
}
