package dev.berth.engine.networks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.network.Netavark;
import dev.berth.store.meta.NetworkStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network model and its checks, on a real database; nothing here runs netavark. */
class NetworkServiceTest {
    @TempDir
    Path dir;
    NetworkStore db;

    NetworkService open(String bip) throws Exception {
        if (db == null) {
            db = NetworkStore.open(dir.resolve("berth.db"));
        }
        DaemonConfig config = DaemonConfig.defaults().withDataRoot(dir).withExecRoot(dir.resolve("exec"));
        config = new DaemonConfig(config.dataRoot(), config.execRoot(), config.defaultRuntime(), config.logOpts(),
                config.logDriver(), config.init(), config.initPath(), bip, "bt0test", "");
        return new NetworkService(config, db, new Netavark(Path.of("/bin/false"), Path.of("/bin/false"),
                dir.resolve("nv")), Clock.systemUTC(), new dev.berth.engine.events.EventBus(Clock.systemUTC()));
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    static NetworkService.CreateRequest request(String name, String subnet) {
        return new NetworkService.CreateRequest(name, "bridge", subnet, null, null, false, false, Map.of(), Map.of());
    }

    @Test
    void defaults_areBridgeHostNone_withTheBip() throws Exception {
        NetworkService s = open("10.250.3.1/24");
        assertThat(s.list()).extracting(Network::name).containsExactly("bridge", "host", "none");
        Network bridge = s.find("bridge");
        assertThat(bridge.subnet()).isEqualTo("10.250.3.0/24");
        assertThat(bridge.gateway()).isEqualTo("10.250.3.1");
        assertThat(bridge.options()).containsEntry(Network.BRIDGE_NAME_OPTION, "bt0test");
        assertThat(s.find("none").driver()).isEqualTo("null");
    }

    @Test
    void changedBip_keepsTheIdAndTakesTheNewSubnet() throws Exception {
        String id = open("10.250.3.1/24").find("bridge").id();
        Network again = open("10.250.9.1/24").find("bridge");
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.subnet()).isEqualTo("10.250.9.0/24");
    }

    @Test
    void create_choosesAFreeSubnet_andRefusesOverlapsAndDuplicates() throws Exception {
        NetworkService s = open("10.250.3.1/24");
        Network a = s.create(request("a", null));
        assertThat(a.subnet()).matches("(172\\.(1[89]|2\\d|3[01])\\.0\\.0/16|192\\.168\\.\\d+\\.0/20)");
        assertThat(a.bridge()).isEqualTo("br-" + a.id().substring(0, 12));
        assertThatThrownBy(() -> s.create(request("b", a.subnet())))
                .isInstanceOf(EngineException.Forbidden.class)
                .hasMessage("Pool overlaps with other one on this address space");
        assertThatThrownBy(() -> s.create(request("c", "10.250.0.0/16")))
                .isInstanceOf(EngineException.Forbidden.class);
        assertThatThrownBy(() -> s.create(request("a", "10.251.0.0/24")))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("network with name a already exists");
        assertThatThrownBy(() -> s.create(new NetworkService.CreateRequest("d", "bridge", "10.252.0.0/24", "10.9.9.9",
                null, false, false, Map.of(), Map.of()))).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> s.create(new NetworkService.CreateRequest("e", "overlay", null, null, null, false,
                false, Map.of(), Map.of()))).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("plugin \"overlay\" not found");
    }

    @Test
    void remove_refusesPredefined_andFindsByIdPrefix() throws Exception {
        NetworkService s = open(null);
        assertThat(s.find("bridge").subnet()).isEqualTo("172.17.0.0/16");
        assertThatThrownBy(() -> s.remove("host")).isInstanceOf(EngineException.Forbidden.class)
                .hasMessage("host is a pre-defined network and cannot be removed");
        Network n = s.create(request("mine", "10.253.1.0/24"));
        assertThat(s.find(n.id().substring(0, 6))).isEqualTo(n);
        s.remove(n.id().substring(0, 12));
        assertThatThrownBy(() -> s.find("mine")).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("network mine not found");
        assertThat(open(null).list()).extracting(Network::name).containsExactly("bridge", "host", "none");
    }

    static NetworkService.CreateRequest dualStack(String name, String subnet, String subnet6, String gateway6) {
        return new NetworkService.CreateRequest(name, "bridge", subnet, null, null, false, false, Map.of(), Map.of(),
                true, subnet6, gateway6);
    }

    @Test
    void create_dualStack_keepsBothSubnets_andTakesAnIpv4PoolWhenOnlyIpv6IsGiven() throws Exception {
        NetworkService s = open("10.250.3.1/24");
        Network both = s.create(dualStack("both", "10.254.7.0/24", "fd00:1:0:0::/64", "fd00:1::1"));
        assertThat(both.ipv6()).isTrue();
        assertThat(both.subnet6()).isEqualTo("fd00:1::/64");
        assertThat(both.gateway6()).isEqualTo("fd00:1::1");
        assertThat(both.subnet()).isEqualTo("10.254.7.0/24");
        assertThat(NetworkService.prefixLength6(both)).isEqualTo(64);
        Network only6 = s.create(dualStack("only6", null, "fd00:2::/64", null));
        assertThat(only6.subnet()).matches("(172\\.(1[89]|2\\d|3[01])\\.0\\.0/16|192\\.168\\.\\d+\\.0/20)");
        assertThat(only6.gateway6()).isEqualTo("fd00:2::1");
        assertThat(s.create(request("v4", null)).ipv6()).isFalse();
        // a new service reads them back from the database
        assertThat(open("10.250.3.1/24").find("both")).isEqualTo(both);
    }

    @Test
    void create_refusesIpv6WithoutTheFlag_overlaps_andStrayGateways() throws Exception {
        NetworkService s = open("10.250.3.1/24");
        s.create(dualStack("a6", null, "fd00:1::/64", null));
        assertThatThrownBy(() -> s.create(new NetworkService.CreateRequest("b6", "bridge", null, null, null, false,
                false, Map.of(), Map.of(), false, "fd00:3::/64", null)))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("IPv6 is not enabled");
        assertThatThrownBy(() -> s.create(dualStack("c6", null, "fd00:1::/48", null)))
                .isInstanceOf(EngineException.Forbidden.class)
                .hasMessage("Pool overlaps with other one on this address space");
        // a route of the host: ::1/128 on lo, wherever the kernel has IPv6 on
        assertThatThrownBy(() -> s.create(dualStack("lo6", null, "::/64", null)))
                .isInstanceOf(EngineException.Forbidden.class)
                .hasMessage("Pool overlaps with other one on this address space");
        assertThatThrownBy(() -> s.create(dualStack("d6", null, "fd00:4::/64", "fd00:5::1")))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("no matching subnet for gateway fd00:5::1");
        assertThatThrownBy(() -> s.create(dualStack("e6", null, "fd00:4::/200", null)))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessage("invalid CIDR address: fd00:4::/200");
        assertThatThrownBy(() -> s.create(dualStack("f6", null, null, null)))
                .isInstanceOf(EngineException.Forbidden.class).hasMessageContaining("non-overlapping IPv6 address pool");
        assertThat(s.list()).extracting(Network::name).containsExactly("a6", "bridge", "host", "none");
    }

    @Test
    void forceDelete_removesTheEndpointAGoneContainerLeft_foundByItsName() throws Exception {
        NetworkService s = open(null);
        Network n = s.create(request("fn", "10.253.2.0/24"));
        String gone = "ab".repeat(32);
        Path state = java.nio.file.Files.createDirectories(dir.resolve("exec").resolve("netns").resolve(gone));
        java.nio.file.Files.writeString(state.resolve(n.id() + ".json"), "{\"container_id\":\"" + gone
                + "\",\"container_name\":\"ghost.fn\"}");
        db.putEndpoint(gone, n.id(), "{\"endpointId\":\"e1\",\"aliases\":[]}");
        db.setAddress(gone, n.id(), "10.253.2.2");
        assertThatThrownBy(() -> s.forceDelete("other", "fn")).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("endpoint other not found");
        assertThatThrownBy(() -> s.forceDelete("ghost", "nonet")).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("network nonet not found");
        s.forceDelete("ghost", "fn");
        assertThat(db.endpoints()).isEmpty();
        assertThat(state).doesNotExist();
        assertThat(s.containersOn(n)).isEmpty();
    }

    @Test
    void macOf_isDockersClassicMac() {
        assertThat(NetworkService.macOf("172.17.0.2")).isEqualTo("02:42:ac:11:00:02");
    }
}
