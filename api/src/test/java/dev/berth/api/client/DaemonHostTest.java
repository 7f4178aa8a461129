package dev.berth.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonHostTest {
    @Test
    void resolve_flagWinsOverEnvironment() {
        DaemonHost host = DaemonHost.resolve("unix:///a.sock", Map.of("DOCKER_HOST", "unix:///b.sock"));
        assertThat(host.socket()).isEqualTo(Path.of("/a.sock"));
    }

    @Test
    void resolve_environmentWinsOverDefault() {
        assertThat(DaemonHost.resolve(null, Map.of("DOCKER_HOST", "unix:///b.sock")).uri()).isEqualTo("unix:///b.sock");
    }

    @Test
    void resolve_defaultsToBerthSocket() {
        assertThat(DaemonHost.resolve(null, Map.of()).socket()).isEqualTo(Path.of("/run/berth/berth.sock"));
    }

    @Test
    void parse_rejectsNetworkAddresses() {
        assertThatThrownBy(() -> DaemonHost.parse("tcp://127.0.0.1:2375")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void apiVersions_compareNumerically() {
        assertThat(ApiVersions.compare("1.9", "1.10")).isNegative();
        assertThat(ApiVersions.lower("1.41", "1.44")).isEqualTo("1.41");
        assertThat(ApiVersions.lower("1.50", "1.44")).isEqualTo("1.44");
    }

    @Test
    void segment_keepsSlashesColonsAndAtSigns() {
        assertThat(ApiRequest.segment("localhost:5000/app@sha256:ab")).isEqualTo("localhost:5000/app@sha256:ab");
        assertThat(ApiRequest.segment("a b")).isEqualTo("a%20b");
    }
}
