package dev.berth.engine.networks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A network as the engine keeps it (JSON in the {@code networks} table).
 *
 * @param driver   "bridge", "host" or "null"
 * @param created  RFC 3339
 * @param subnet   CIDR, null for host and none
 * @param ipRange  CIDR the container addresses come from, or null for the whole subnet
 * @param bridge   the bridge interface, null for host and none (named for Jackson, which would otherwise store
 *                 {@link #isBridge()} under that name)
 * @param subnet6  IPv6 CIDR of a dual-stack network ({@code --ipv6}), null otherwise
 * @param gateway6 the bridge's IPv6 address, null without {@code subnet6}
 */
public record Network(String id, String name, String driver, String created, String subnet, String gateway,
        String ipRange, boolean internal, boolean attachable, Map<String, String> labels, Map<String, String> options,
        @JsonProperty("bridge") String bridge, String subnet6, String gateway6) {
    public static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

    /** Docker's {@code EnableIPv6}. */
    public boolean ipv6() {
        return subnet6 != null;
    }

    public boolean isBridge() {
        return "bridge".equals(driver);
    }

    /** Docker's default bridge, on which containers find each other only by address. */
    public boolean isDefaultBridge() {
        return "bridge".equals(name);
    }

    public boolean predefined() {
        return name.equals("bridge") || name.equals("host") || name.equals("none");
    }
}
