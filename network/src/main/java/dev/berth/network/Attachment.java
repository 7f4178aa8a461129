package dev.berth.network;

import java.util.List;

/**
 * One container's place on one bridge network, as netavark sets it up.
 *
 * @param networkName  the network's name (the key netavark reports results under)
 * @param networkId    64 hex characters
 * @param bridge       the bridge interface, e.g. {@code berth0}
 * @param subnet       the network's subnet
 * @param gateway      the bridge's address
 * @param internal     no outbound NAT, no route out
 * @param dns          aardvark-dns answers container names on this network
 * @param interfaceName the container side, {@code eth0}, {@code eth1}...
 * @param ip           the container's address
 * @param mac          a static MAC address, or null for a random one
 * @param aliases      names the container answers to on this network
 * @param ipv6         the network's IPv6 side and the container's address there, or null on an IPv4-only network
 */
public record Attachment(String networkName, String networkId, String bridge, Ipv4Subnet subnet, String gateway,
        boolean internal, boolean dns, String interfaceName, String ip, String mac, List<String> aliases, Ipv6 ipv6) {
    /** An attachment to an IPv4-only network. */
    public Attachment(String networkName, String networkId, String bridge, Ipv4Subnet subnet, String gateway,
            boolean internal, boolean dns, String interfaceName, String ip, String mac, List<String> aliases) {
        this(networkName, networkId, bridge, subnet, gateway, internal, dns, interfaceName, ip, mac, aliases, null);
    }

    /** The IPv6 subnet and gateway of a dual-stack network, and the container's IPv6 address on it. */
    public record Ipv6(Ipv6Subnet subnet, String gateway, String ip) {}
}
