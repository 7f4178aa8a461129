package dev.berth.store.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkStoreTest {
    @TempDir
    Path dir;

    @Test
    void ipv6Addresses_areUniquePerNetwork_andClearedWithTheIpv4One() throws Exception {
        try (NetworkStore db = NetworkStore.open(dir.resolve("berth.db"))) {
            db.putEndpoint("c1", "n1", "{}");
            db.putEndpoint("c2", "n1", "{}");
            db.putEndpoint("c3", "n2", "{}");
            assertThat(db.setAddresses("c1", "n1", "10.0.0.2", "fd00:1::2")).isTrue();
            assertThat(db.setAddresses("c2", "n1", "10.0.0.3", "fd00:1::2")).isFalse();
            assertThat(db.setAddresses("c3", "n2", "10.0.0.2", "fd00:1::2")).isTrue(); // another network
            assertThat(db.endpoints()).first().isEqualTo(new NetworkStore.EndpointRow("c1", "n1", "{}", "10.0.0.2",
                    "fd00:1::2"));
            db.setAddress("c1", "n1", null);
            assertThat(db.setAddresses("c2", "n1", "10.0.0.3", "fd00:1::2")).isTrue();
            assertThat(db.endpoints().getFirst().ip6()).isNull();
        }
    }

    @Test
    void open_addsTheIpv6Column_toADatabaseOfAnEarlierDaemon() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE network_endpoints (container_id TEXT NOT NULL, network_id TEXT NOT NULL,"
                    + " record TEXT NOT NULL, ip TEXT, PRIMARY KEY (container_id, network_id))");
            s.execute("INSERT INTO network_endpoints VALUES('c1', 'n1', '{}', '10.0.0.2')");
        }
        for (int open = 0; open < 2; open++) {
            try (NetworkStore db = NetworkStore.open(file)) {
                assertThat(db.endpoints()).containsExactly(new NetworkStore.EndpointRow("c1", "n1", "{}", "10.0.0.2",
                        null));
            }
        }
    }
}
