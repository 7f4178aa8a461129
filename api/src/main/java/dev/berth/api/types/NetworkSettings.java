package dev.berth.api.types;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code NetworkSettings} of container inspect; the top-level address fields describe the default bridge only. */
public record NetworkSettings(
        @JsonProperty("Bridge") String bridge,
        @JsonProperty("SandboxID") String sandboxId,
        @JsonProperty("SandboxKey") String sandboxKey,
        @JsonProperty("Ports") Map<String, Object> ports,
        @JsonProperty("HairpinMode") boolean hairpinMode,
        @JsonProperty("LinkLocalIPv6Address") String linkLocalIPv6Address,
        @JsonProperty("LinkLocalIPv6PrefixLen") int linkLocalIPv6PrefixLen,
        @JsonProperty("SecondaryIPAddresses") List<Object> secondaryIPAddresses,
        @JsonProperty("SecondaryIPv6Addresses") List<Object> secondaryIPv6Addresses,
        @JsonProperty("EndpointID") String endpointId,
        @JsonProperty("Gateway") String gateway,
        @JsonProperty("GlobalIPv6Address") String globalIPv6Address,
        @JsonProperty("GlobalIPv6PrefixLen") int globalIPv6PrefixLen,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") int ipPrefixLen,
        @JsonProperty("IPv6Gateway") String ipv6Gateway,
        @JsonProperty("MacAddress") String macAddress,
        @JsonProperty("Networks") Map<String, Object> networks) {}
