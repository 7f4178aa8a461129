package dev.berth.network;

/**
 * A published port: connections to {@code hostIp:hostPort} (hostIp empty: every host address) go to the container's
 * {@code containerPort}. {@code protocol} is "tcp", "udp" or "sctp".
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    /** Docker's key for the container side: {@code 80/tcp}. */
    public String key() {
        return containerPort + "/" + protocol;
    }
}
