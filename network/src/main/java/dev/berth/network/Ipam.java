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
     * and broadcast addresses and everything in {@code used}.
     *
     * @throws IllegalStateException with Docker's message when the range is exhausted
     */
    public static String next(Ipv4Subnet subnet, Ipv4Subnet range, Set<String> used) {
        Ipv4Subnet pool = range == null ? subnet : range;
        long first = pool.equals(subnet) ? 1 : 0;
        long last = pool.size() - (pool.equals(subnet) ? 2 : 1);
        for (long n = first; n <= last; n++) {
            int a = pool.at(n);
            if (a == subnet.at(0) || a == subnet.at(subnet.size() - 1) || !subnet.contains(a)) {
                continue;
            }
            String s = Ipv4Subnet.format(a);
            if (!used.contains(s)) {
                return s;
            }
        }
        throw new IllegalStateException("no available IPv4 addresses on this network's address pools: " + subnet);
    }
}
