package dev.berth.engine.networks;

/** A port a running container publishes: {@code hostIp} empty means every host address. */
public record PublishedPort(String hostIp, int hostPort, int containerPort, String protocol) {
    /** Docker's key for the container side: {@code 80/tcp}. */
    public String key() {
        return containerPort + "/" + protocol;
    }
}
