package dev.berth.store.meta;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Networks and their endpoints, in the daemon's {@code berth.db} (own tables, own connection). An endpoint is one
 * container on one network; its {@code ip} column (and {@code ip6} on a dual-stack network) is set while the container
 * runs, and the unique indexes on {@code (network_id, ip)} and {@code (network_id, ip6)} are what guarantee no address is
 * handed out twice, across restarts and crashes.
 * Every method is one transaction.
 */
public final class NetworkStore implements AutoCloseable {
    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS networks (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, record TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS network_endpoints (container_id TEXT NOT NULL, network_id TEXT NOT NULL,"
                + " record TEXT NOT NULL, ip TEXT, PRIMARY KEY (container_id, network_id))",
        "CREATE UNIQUE INDEX IF NOT EXISTS network_endpoints_ip ON network_endpoints(network_id, ip)",
    };
    /** Added to databases of daemons that predate IPv6: a column of its own, under its own unique index. */
    private static final String[] IPV6_SCHEMA = {
        "ALTER TABLE network_endpoints ADD COLUMN ip6 TEXT",
        "CREATE UNIQUE INDEX IF NOT EXISTS network_endpoints_ip6 ON network_endpoints(network_id, ip6)",
    };

    private final Connection connection;

    private NetworkStore(Connection connection) {
        this.connection = connection;
    }

    public static NetworkStore open(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=5000");
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            boolean hasIp6;
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pragma_table_info('network_endpoints') WHERE name='ip6'")) {
                hasIp6 = r.next();
            }
            for (String ddl : hasIp6 ? new String[] {IPV6_SCHEMA[1]} : IPV6_SCHEMA) {
                s.execute(ddl);
            }
        }
        return new NetworkStore(c);
    }

    /** A network as stored: the caller's JSON record, the name kept apart for uniqueness. */
    public record NetworkRow(String id, String name, String record) {}

    /**
     * One container on one network; {@code ip} is null while the container does not run, {@code ip6} also on an
     * IPv4-only network.
     */
    public record EndpointRow(String containerId, String networkId, String record, String ip, String ip6) {}

    /** Inserts a network; false if the name is taken. */
    public synchronized boolean insertNetwork(NetworkRow row) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT OR IGNORE INTO networks(id, name, record) VALUES(?,?,?)")) {
            p.setString(1, row.id());
            p.setString(2, row.name());
            p.setString(3, row.record());
            return p.executeUpdate() == 1;
        }
    }

    public synchronized void deleteNetwork(String id) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM networks WHERE id=?")) {
            p.setString(1, id);
            p.executeUpdate();
        }
    }

    public synchronized List<NetworkRow> networks() throws SQLException {
        List<NetworkRow> out = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement("SELECT id, name, record FROM networks");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new NetworkRow(r.getString(1), r.getString(2), r.getString(3)));
            }
        }
        return out;
    }

    /** Adds or replaces an endpoint's record, keeping its address. */
    public synchronized void putEndpoint(String containerId, String networkId, String record) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO network_endpoints(container_id, network_id, record) VALUES(?,?,?)"
                        + " ON CONFLICT(container_id, network_id) DO UPDATE SET record=excluded.record")) {
            p.setString(1, containerId);
            p.setString(2, networkId);
            p.setString(3, record);
            p.executeUpdate();
        }
    }

    /** Sets an endpoint's IPv4 address with no IPv6 one, or with null clears both. */
    public boolean setAddress(String containerId, String networkId, String ip) throws SQLException {
        return setAddresses(containerId, networkId, ip, null);
    }

    /** Sets (or with nulls clears) an endpoint's addresses; false if another endpoint of the network holds one. */
    public synchronized boolean setAddresses(String containerId, String networkId, String ip, String ip6)
            throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "UPDATE network_endpoints SET ip=?, ip6=? WHERE container_id=? AND network_id=?")) {
            p.setString(1, ip);
            p.setString(2, ip6);
            p.setString(3, containerId);
            p.setString(4, networkId);
            p.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("UNIQUE")) {
                return false;
            }
            throw e;
        }
    }

    public synchronized void deleteEndpoint(String containerId, String networkId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "DELETE FROM network_endpoints WHERE container_id=? AND network_id=?")) {
            p.setString(1, containerId);
            p.setString(2, networkId);
            p.executeUpdate();
        }
    }

    public synchronized void deleteEndpoints(String containerId) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("DELETE FROM network_endpoints WHERE container_id=?")) {
            p.setString(1, containerId);
            p.executeUpdate();
        }
    }

    public synchronized List<EndpointRow> endpoints() throws SQLException {
        List<EndpointRow> out = new ArrayList<>();
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT container_id, network_id, record, ip, ip6 FROM network_endpoints ORDER BY rowid");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new EndpointRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5)));
            }
        }
        return out;
    }

    @Override
    public synchronized void close() throws SQLException {
        connection.close();
    }
}
