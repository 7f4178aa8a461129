package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PortsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void display_groupsRangesAndListsMappingsLast() throws Exception {
        // Go's order: a run is emitted when broken, the open runs in creation order, other mappings last.
        String ports = """
                [{"PrivatePort":81,"Type":"tcp"},{"PrivatePort":80,"Type":"tcp"},
                 {"IP":"0.0.0.0","PrivatePort":443,"PublicPort":8443,"Type":"tcp"},
                 {"IP":"0.0.0.0","PrivatePort":53,"PublicPort":53,"Type":"udp"},
                 {"PrivatePort":90,"Type":"tcp"}]""";
        assertThat(Ports.display(JSON.readTree(ports)))
                .isEqualTo("80-81/tcp, 0.0.0.0:53->53/udp, 90/tcp, 0.0.0.0:8443->443/tcp");
    }

    @Test
    void display_bracketsIpv6Hosts() throws Exception {
        String ports = "[{\"IP\":\"::\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"}]";
        assertThat(Ports.display(JSON.readTree(ports))).isEqualTo("[::]:8080->80/tcp");
    }

    @Test
    void display_showsBothFamiliesOfADualStackBinding_ipv4First() throws Exception {
        String ports = "[{\"IP\":\"::\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},"
                + "{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},"
                + "{\"IP\":\"::\",\"PrivatePort\":53,\"PublicPort\":53,\"Type\":\"udp\"}]";
        assertThat(Ports.display(JSON.readTree(ports)))
                .isEqualTo("[::]:53->53/udp, 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp");
    }

    @Test
    void display_emptyWithoutPorts() throws Exception {
        assertThat(Ports.display(JSON.readTree("[]"))).isEmpty();
    }
}
