package dev.berth.network;

/**
 * An IPv4 or IPv6 network in CIDR notation: what {@link Ipam} needs to walk its addresses. Addresses are strings in
 * their canonical form (dotted quads; RFC 5952 for IPv6), so sets of used addresses compare as strings.
 */
public sealed interface IpSubnet permits Ipv4Subnet, Ipv6Subnet {
    int prefix();

    /** Number of addresses, saturating at {@link Long#MAX_VALUE} for large IPv6 networks. */
    long size();

    /** The n-th address (0 is the network address itself), in canonical form. */
    String addressAt(long n);

    boolean contains(String address);

    /** IPv6 has no broadcast address: only IPv4 reserves the last one. */
    boolean ipv6();

    /** Parses either family by its notation; IllegalArgumentException with Docker's wording on bad input. */
    static IpSubnet parse(String cidr) {
        return cidr.contains(":") ? Ipv6Subnet.parse(cidr) : Ipv4Subnet.parse(cidr);
    }
}
