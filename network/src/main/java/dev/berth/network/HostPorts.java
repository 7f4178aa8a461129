package dev.berth.network;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Host ports for published container ports. Published ports are DNAT rules, not listening sockets, so nothing stops
 * two containers (or a host service) from claiming the same port: the caller keeps the set of ports it handed out,
 * and {@link #free} also checks that no host process listens there.
 */
public final class HostPorts {
    /** Docker's range for {@code -p 80} and {@code -P}. */
    public static final int FIRST_EPHEMERAL = 49153;
    public static final int LAST_EPHEMERAL = 60999;

    private HostPorts() {}

    /** Whether a host process could not bind {@code ip:port} now (a listener there, or a port Berth handed out). */
    public static boolean free(String ip, int port, String protocol) {
        try {
            InetAddress addr = InetAddress.getByName(ip == null || ip.isEmpty() ? "0.0.0.0" : ip);
            if ("udp".equals(protocol)) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(new InetSocketAddress(addr, port));
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(addr, port));
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A random free port of the ephemeral range not in {@code taken} ("proto/port" keys). */
    public static int pick(String ip, String protocol, Set<String> taken) {
        int span = LAST_EPHEMERAL - FIRST_EPHEMERAL + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = FIRST_EPHEMERAL + (start + i) % span;
            if (!taken.contains(protocol + "/" + port) && free(ip, port, protocol)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port available for " + protocol);
    }
}
