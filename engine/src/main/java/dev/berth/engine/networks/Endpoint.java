package dev.berth.engine.networks;

import java.util.List;

/**
 * One container on one network (JSON in {@code network_endpoints}); the address lives in its own column, set while the
 * container runs.
 *
 * @param aliases   names other containers resolve to it on this network, besides its name
 * @param staticIp  {@code --ip}, or null
 * @param staticMac {@code --mac-address}, or null
 * @param mac       the address netavark gave the interface at the last start
 * @param staticIp6 {@code --ip6}, or null
 */
public record Endpoint(String endpointId, List<String> aliases, String staticIp, String staticMac, String mac,
        String staticIp6) {
    public Endpoint withMac(String m) {
        return new Endpoint(endpointId, aliases, staticIp, staticMac, m, staticIp6);
    }
}
