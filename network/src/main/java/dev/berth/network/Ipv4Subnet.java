package dev.berth.network;

/**
 * An IPv4 network in CIDR notation, e.g. {@code 172.17.0.0/16}. Parsing normalises the address to the network's first
 * address, as Docker shows subnets.
 */
public record Ipv4Subnet(int base, int prefix) implements IpSubnet {
    public Ipv4Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("invalid CIDR prefix length " + prefix);
        }
        base = base & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; throws IllegalArgumentException with Docker's wording on bad input. */
    public static Ipv4Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid CIDR address: " + cidr);
        }
        try {
            return new Ipv4Subnet(address(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR address: " + cidr, e);
        }
    }

    /** Parses a dotted IPv4 address into its 32 bits. */
    public static int address(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("invalid IPv4 address: " + dotted);
        }
        int v = 0;
        for (String p : parts) {
            int octet = Integer.parseInt(p);
            if (octet < 0 || octet > 255 || p.isEmpty() || (p.length() > 1 && p.startsWith("0"))) {
                throw new IllegalArgumentException("invalid IPv4 address: " + dotted);
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    public static String format(int address) {
        return ((address >>> 24) & 255) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "."
                + (address & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    @Override
    public String addressAt(long n) {
        return format(at(n));
    }

    @Override
    public boolean ipv6() {
        return false;
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == base;
    }

    @Override
    public boolean contains(String address) {
        return contains(address(address));
    }

    public boolean overlaps(Ipv4Subnet other) {
        int p = Math.min(prefix, other.prefix);
        return (base & mask(p)) == (other.base & mask(p));
    }

    /** The n-th address of the network (0 is the network address itself). */
    public int at(long n) {
        return (int) ((base & 0xffffffffL) + n);
    }

    /** Number of addresses, network and broadcast included. */
    @Override
    public long size() {
        return 1L << (32 - prefix);
    }

    /** The first usable address, which Docker makes the gateway. */
    public String firstHost() {
        return format(at(1));
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
