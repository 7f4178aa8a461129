package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Ipv6SubnetTest {
    @Test
    void parse_normalisesToNetworkAddress_inCanonicalForm() {
        assertThat(Ipv6Subnet.parse("fd00:1:0:0::5/64").toString()).isEqualTo("fd00:1::/64");
        assertThat(Ipv6Subnet.parse("FD00:0001::/64").firstHost()).isEqualTo("fd00:1::1");
        assertThat(Ipv6Subnet.parse("2001:db8:0:0:1:0:0:1/128").toString()).isEqualTo("2001:db8::1:0:0:1/128");
        assertThat(IpSubnet.parse("fd00:1::/64")).isInstanceOf(Ipv6Subnet.class);
        assertThat(IpSubnet.parse("10.89.0.0/24")).isInstanceOf(Ipv4Subnet.class);
    }

    @Test
    void canonical_followsRfc5952() {
        assertThat(Ipv6Subnet.canonical("fd00:0:0:1:0:0:0:2")).isEqualTo("fd00:0:0:1::2");
        assertThat(Ipv6Subnet.canonical("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(Ipv6Subnet.canonical("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(Ipv6Subnet.canonical("fd00:1:0:1:1:1:1:1")).isEqualTo("fd00:1:0:1:1:1:1:1");
        assertThat(Ipv6Subnet.canonical("fd00:0:0:1:1:0:0:0")).isEqualTo("fd00:0:0:1:1::"); // the longest run
        assertThat(Ipv6Subnet.canonical("fd00:0:0:1:0:0:1:1")).isEqualTo("fd00::1:0:0:1:1"); // the first of equals
    }

    @Test
    void parse_refusesGarbage_withoutLookingNamesUp() {
        assertThatThrownBy(() -> Ipv6Subnet.parse("fd00::")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv6Subnet.parse("fd00::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv6Subnet.parse("localhost/64")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv6Subnet.parse("fd00:::1/64")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv6Subnet.address("10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlaps_andContains() {
        Ipv6Subnet big = Ipv6Subnet.parse("fd00::/48");
        Ipv6Subnet small = Ipv6Subnet.parse("fd00:0:0:5::/64");
        assertThat(big.overlaps(small)).isTrue();
        assertThat(small.overlaps(big)).isTrue();
        assertThat(small.overlaps(Ipv6Subnet.parse("fd00:1::/64"))).isFalse();
        assertThat(small.contains("fd00:0:0:5:ffff::1")).isTrue();
        assertThat(small.contains("fd00:0:0:6::1")).isFalse();
    }

    @Test
    void ipam_givesTheLowestFreeAddress_afterTheGateway() {
        Ipv6Subnet s = Ipv6Subnet.parse("fd00:1::/64");
        assertThat(Ipam.next(s, null, Set.of("fd00:1::1"))).isEqualTo("fd00:1::2");
        assertThat(Ipam.next(s, null, Set.of("fd00:1::1", "fd00:1::2", "fd00:1::4"))).isEqualTo("fd00:1::3");
        assertThat(Ipam.next(Ipv6Subnet.parse("fd00:1::/64"), Ipv6Subnet.parse("fd00:1::100/120"),
                Set.of("fd00:1::1"))).isEqualTo("fd00:1::100");
    }

    @Test
    void ipam_usesTheLastAddress_asIpv6HasNoBroadcast_andReportsExhaustion() {
        Ipv6Subnet s = Ipv6Subnet.parse("fd00:1::/126");
        assertThat(Ipam.next(s, null, Set.of("fd00:1::1", "fd00:1::2"))).isEqualTo("fd00:1::3");
        assertThatThrownBy(() -> Ipam.next(s, null, Set.of("fd00:1::1", "fd00:1::2", "fd00:1::3")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no available IPv6 addresses");
    }

    @Test
    void options_ofADualStackNetwork_carryBothSubnetsAndAddresses() {
        Attachment a = new Attachment("net", "ab".repeat(32), "br-x", Ipv4Subnet.parse("10.89.1.0/24"), "10.89.1.1",
                false, true, "eth0", "10.89.1.2", null, List.of("c1"),
                new Attachment.Ipv6(Ipv6Subnet.parse("fd00:1::/64"), "fd00:1::1", "fd00:1::2"));
        String json = Netavark.options("cd".repeat(32), "c1", List.of(a), List.of(new PortMapping("", 8080, 80, "tcp")));
        assertThat(json).contains("\"static_ips\":[\"10.89.1.2\",\"fd00:1::2\"]")
                .contains("{\"subnet\":\"10.89.1.0/24\",\"gateway\":\"10.89.1.1\"},"
                        + "{\"subnet\":\"fd00:1::/64\",\"gateway\":\"fd00:1::1\"}")
                .contains("\"ipv6_enabled\":true");
        Attachment v4 = new Attachment("net", "ab".repeat(32), "br-x", Ipv4Subnet.parse("10.89.1.0/24"), "10.89.1.1",
                false, true, "eth0", "10.89.1.2", null, List.of("c1"));
        assertThat(Netavark.options("cd".repeat(32), "c1", List.of(v4), List.of())).contains("\"ipv6_enabled\":false")
                .contains("\"static_ips\":[\"10.89.1.2\"]");
    }
}
