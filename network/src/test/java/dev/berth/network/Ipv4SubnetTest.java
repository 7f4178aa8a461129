package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {
    @Test
    void parse_normalisesToNetworkAddress() {
        assertThat(Ipv4Subnet.parse("172.17.0.1/16").toString()).isEqualTo("172.17.0.0/16");
        assertThat(Ipv4Subnet.parse("10.89.3.0/24").firstHost()).isEqualTo("10.89.3.1");
    }

    @Test
    void parse_refusesGarbage() {
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.0.300/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlaps_bothWays() {
        Ipv4Subnet big = Ipv4Subnet.parse("172.16.0.0/12");
        Ipv4Subnet small = Ipv4Subnet.parse("172.17.0.0/16");
        assertThat(big.overlaps(small)).isTrue();
        assertThat(small.overlaps(big)).isTrue();
        assertThat(small.overlaps(Ipv4Subnet.parse("172.18.0.0/16"))).isFalse();
        assertThat(small.contains("172.17.255.254")).isTrue();
    }

    @Test
    void ipam_skipsUsedNetworkAndBroadcast() {
        Ipv4Subnet s = Ipv4Subnet.parse("10.89.0.0/30");
        assertThat(Ipam.next(s, null, Set.of("10.89.0.1"))).isEqualTo("10.89.0.2");
        assertThatThrownBy(() -> Ipam.next(s, null, Set.of("10.89.0.1", "10.89.0.2")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ipam_staysInRange() {
        Ipv4Subnet s = Ipv4Subnet.parse("10.89.0.0/16");
        assertThat(Ipam.next(s, Ipv4Subnet.parse("10.89.5.0/24"), Set.of("10.89.0.1"))).isEqualTo("10.89.5.0");
    }

    @Test
    void options_carryPortsAndAliases() {
        Attachment a = new Attachment("net", "ab".repeat(32), "br-x", Ipv4Subnet.parse("10.89.1.0/24"), "10.89.1.1",
                false, true, "eth0", "10.89.1.2", null, java.util.List.of("c1"));
        String json = Netavark.options("cd".repeat(32), "c1", java.util.List.of(a),
                java.util.List.of(new PortMapping("", 8080, 80, "tcp")));
        assertThat(json).contains("\"static_ips\":[\"10.89.1.2\"]").contains("\"host_port\":8080")
                .contains("\"dns_enabled\":true").contains("\"network_interface\":\"br-x\"");
    }
}
