package dev.berth.network;

import java.util.Set;

/**
 * Picks container addresses in a network. The caller holds the set of addresses in use (gateway included) and records
 * the choice atomically; Ipam itself keeps no state, so what the database says is the only truth.
 */
public final class Ipam {
    private Ipam() {}

    /**
     * The lowest free address of {@code range} (the subnet when null) that lies in {@code subnet}, skipping the network
     * address, the IPv4 broadcast address and everything in {@code used} (canonical forms).
     *
     * @throws IllegalStateException with Docker's message when the range is exhausted
     */
    public static String next(IpSubnet subnet, IpSubnet range, Set<String> used) {
        IpSubnet pool = range == null ? subnet : range;
        long first = pool.equals(subnet) ? 1 : 0;
        long last = pool.size() - (pool.equals(subnet) && !subnet.ipv6() ? 2 : 1);
        String network = subnet.addressAt(0);
        String broadcast = subnet.ipv6() ? null : subnet.addressAt(subnet.size() - 1);
        for (long n = first; n <= last; n++) {
            String a = pool.addressAt(n);
            if (a.equals(network) || a.equals(broadcast) || !subnet.contains(a)) {
                continue;
            }
            if (!used.contains(a)) {
                return a;
            }
        }
        throw new IllegalStateException("no available " + (subnet.ipv6() ? "IPv6" : "IPv4")
                + " addresses on this network's address pools: " + subnet);
    }
}
