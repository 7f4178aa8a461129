package dev.berth.network;

import java.math.BigInteger;
import java.net.Inet6Address;

/**
 * An IPv6 network in CIDR notation, e.g. {@code fd00:1::/64}, normalised to its first address. Addresses are shown in
 * RFC 5952's canonical form ({@code fd00:1::2}), as Docker shows them.
 */
public record Ipv6Subnet(BigInteger base, int prefix) implements IpSubnet {
    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public Ipv6Subnet {
        if (prefix < 0 || prefix > 128) {
            throw new IllegalArgumentException("invalid CIDR prefix length " + prefix);
        }
        base = base.and(mask(prefix));
    }

    /** Parses {@code addr/n}; throws IllegalArgumentException with Docker's wording on bad input. */
    public static Ipv6Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid CIDR address: " + cidr);
        }
        try {
            return new Ipv6Subnet(address(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid CIDR address: " + cidr, e);
        }
    }

    /** Parses an IPv6 literal (never a host name: no lookup) into its 128 bits. */
    public static BigInteger address(String literal) {
        if (!literal.contains(":")) {
            throw new IllegalArgumentException("invalid IPv6 address: " + literal);
        }
        return new BigInteger(1, Inet6Address.ofLiteral(literal).getAddress());
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run (two groups or more) of zero groups as "::". */
    public static String format(BigInteger address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = address.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** The canonical form of an IPv6 literal, for comparing addresses as strings. */
    public static String canonical(String literal) {
        return format(address(literal));
    }

    private static BigInteger mask(int prefix) {
        return ALL.shiftRight(prefix).xor(ALL);
    }

    @Override
    public boolean contains(String address) {
        return address(address).and(mask(prefix)).equals(base);
    }

    public boolean overlaps(Ipv6Subnet other) {
        BigInteger m = mask(Math.min(prefix, other.prefix));
        return base.and(m).equals(other.base.and(m));
    }

    @Override
    public String addressAt(long n) {
        return format(base.add(BigInteger.valueOf(n)));
    }

    @Override
    public long size() {
        return 128 - prefix >= 63 ? Long.MAX_VALUE : 1L << (128 - prefix);
    }

    @Override
    public boolean ipv6() {
        return true;
    }

    /** The first usable address, which Docker makes the gateway. */
    public String firstHost() {
        return addressAt(1);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
