package dev.berth.engine.containers;

import java.util.List;
import java.util.Map;

/**
 * How a container is wired to its networks, beyond {@link ContainerSettings#networkMode()}: published ports and the
 * settings of its endpoint on the network it is created on.
 *
 * @param portBindings   Docker's {@code HostConfig.PortBindings}: "80/tcp" to host bindings (empty port: random)
 * @param publishAllPorts {@code -P}: every exposed port to a random host port
 * @param aliases        {@code --network-alias}
 * @param ipv4Address    {@code --ip}, or null
 * @param macAddress     {@code --mac-address}, or null
 * @param ipv6Address    {@code --ip6}, or null
 */
public record Networking(Map<String, List<PortBinding>> portBindings, boolean publishAllPorts, List<String> aliases,
        String ipv4Address, String macAddress, String ipv6Address) {
    public static final Networking NONE = new Networking(Map.of(), false, List.of(), null, null, null);

    /** One host side of a published port: address (empty: all) and port (empty: a free one). */
    public record PortBinding(String hostIp, String hostPort) {}
}
