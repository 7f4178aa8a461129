package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.CliException;
import org.junit.jupiter.api.Test;

/** {@code -p} and {@code --expose} as docker/cli and go-connections' nat.ParsePortSpec read them. */
class NetworkFlagsTest {
    @Test
    void parse_expandsRangesOfTheSameSize() {
        assertThat(NetworkFlags.parse("8000-8002:80-82")).containsExactly(
                new NetworkFlags.Binding("", "8000", "80", "tcp"), new NetworkFlags.Binding("", "8001", "81", "tcp"),
                new NetworkFlags.Binding("", "8002", "82", "tcp"));
        assertThat(NetworkFlags.parse("127.0.0.1:9000-9001:90-91/udp")).containsExactly(
                new NetworkFlags.Binding("127.0.0.1", "9000", "90", "udp"),
                new NetworkFlags.Binding("127.0.0.1", "9001", "91", "udp"));
        assertThat(NetworkFlags.parse("80-81")).containsExactly(new NetworkFlags.Binding("", "", "80", "tcp"),
                new NetworkFlags.Binding("", "", "81", "tcp"));
    }

    @Test
    void parse_keepsAHostRangeForOneContainerPort() {
        assertThat(NetworkFlags.parse("8000-8010:80")).containsExactly(
                new NetworkFlags.Binding("", "8000-8010", "80", "tcp"));
        assertThat(NetworkFlags.parse("[::1]:8080:80")).containsExactly(new NetworkFlags.Binding("::1", "8080", "80",
                "tcp"));
    }

    @Test
    void parse_refusesMismatchedRangesAndBadPorts() {
        assertThatThrownBy(() -> NetworkFlags.parse("8000-8002:80-81")).isInstanceOf(CliException.class)
                .hasMessage("invalid ranges specified for container and host Ports: 80-81 and 8000-8002");
        assertThatThrownBy(() -> NetworkFlags.parse("8000:82-80")).hasMessageContaining("Invalid containerPort: 82-80");
        assertThatThrownBy(() -> NetworkFlags.parse("x:80")).hasMessageContaining("Invalid hostPort: x");
        assertThatThrownBy(() -> NetworkFlags.parse("80/icmp")).hasMessageContaining("Invalid proto: icmp");
        assertThatThrownBy(() -> NetworkFlags.parse("70000")).hasMessageContaining("Invalid containerPort: 70000");
    }

    @Test
    void expose_takesRanges() {
        assertThat(NetworkFlags.exposeRange("7000-7002")).containsExactly("7000/tcp", "7001/tcp", "7002/tcp");
        assertThat(NetworkFlags.exposeRange("53/udp")).containsExactly("53/udp");
        assertThatThrownBy(() -> NetworkFlags.exposeRange("7002-7000"))
                .hasMessage("invalid range format for --expose: 7002-7000, error: invalid port range: 7002-7000");
        assertThatThrownBy(() -> NetworkFlags.exposeRange("80:80"))
                .hasMessage("invalid port format for --expose: 80:80");
    }
}
