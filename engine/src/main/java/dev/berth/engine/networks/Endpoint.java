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
 */
public record Endpoint(String endpointId, List<String> aliases, String staticIp, String staticMac, String mac) {
    public Endpoint withMac(String m) {
        return new Endpoint(endpointId, aliases, staticIp, staticMac, m);
    }
}
