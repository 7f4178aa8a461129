package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.types.NetworkSettings;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.Networking;
import dev.berth.engine.networks.NetworkService;
import dev.berth.engine.networks.PublishedPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A container's networks in the Engine API's shapes: create's network fields in, inspect's and ps's out. */
final class NetworkView {
    private NetworkView() {}

    /** {@code HostConfig.PortBindings}, {@code PublishAllPorts} and the endpoint of {@code NetworkingConfig}. */
    static Networking networking(JsonNode body) {
        JsonNode host = body.path("HostConfig");
        Map<String, List<Networking.PortBinding>> bindings = new LinkedHashMap<>();
        host.path("PortBindings").properties().forEach(e -> {
            List<Networking.PortBinding> list = new ArrayList<>();
            e.getValue().forEach(b -> list.add(new Networking.PortBinding(b.path("HostIp").asText(""),
                    b.path("HostPort").asText(""))));
            String key = e.getKey().contains("/") ? e.getKey() : e.getKey() + "/tcp";
            bindings.put(key, list);
        });
        String mode = host.path("NetworkMode").asText("");
        JsonNode endpoints = body.path("NetworkingConfig").path("EndpointsConfig");
        JsonNode endpoint = endpoints.has(mode) ? endpoints.get(mode)
                : endpoints.isObject() && endpoints.size() == 1 ? endpoints.elements().next()
                : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        List<String> aliases = new ArrayList<>();
        endpoint.path("Aliases").forEach(a -> aliases.add(a.asText()));
        String ip = endpoint.path("IPAMConfig").path("IPv4Address").asText("");
        String ip6 = endpoint.path("IPAMConfig").path("IPv6Address").asText("");
        String mac = endpoint.path("MacAddress").asText(body.path("MacAddress").asText(""));
        return new Networking(bindings, host.path("PublishAllPorts").asBoolean(false), aliases,
                ip.isEmpty() ? null : ip, mac.isEmpty() ? null : mac, ip6.isEmpty() ? null : ip6);
    }

    /** {@code HostConfig.PortBindings} as created: a host port may be a range ({@code 8000-8010}). */
    static Map<String, Object> portBindings(Container c) {
        Map<String, Object> out = new TreeMap<>();
        c.settings().net().portBindings().forEach((key, list) -> out.put(key, list.stream().map(b -> {
            Map<String, String> binding = new LinkedHashMap<>();
            binding.put("HostIp", b.hostIp() == null ? "" : b.hostIp());
            binding.put("HostPort", b.hostPort() == null ? "" : b.hostPort());
            return binding;
        }).toList()));
        return out;
    }

    /** {@code NetworkSettings.Ports}: every exposed or published port, with its host bindings or null. */
    static Map<String, Object> ports(Container c, NetworkService networks) {
        Map<String, Object> out = new TreeMap<>();
        if (c.settings().exposedPorts() != null) {
            c.settings().exposedPorts().forEach(p -> out.put(p.contains("/") ? p : p + "/tcp", null));
        }
        c.settings().net().portBindings().keySet().forEach(k -> out.put(k, null));
        if (!c.state().isRunning()) {
            return out;
        }
        for (PublishedPort p : networks.publishedPorts(c.id())) {
            @SuppressWarnings("unchecked")
            List<Object> list = out.get(p.key()) instanceof List<?> l ? (List<Object>) l : new ArrayList<>();
            Map<String, String> binding = new LinkedHashMap<>();
            binding.put("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp());
            binding.put("HostPort", Integer.toString(p.hostPort()));
            list.add(binding);
            out.put(p.key(), list);
        }
        return out;
    }

    /** The {@code Ports} of {@code GET /containers/json}. */
    static List<Object> summaryPorts(Container c, NetworkService networks) {
        List<Object> out = new ArrayList<>();
        if (!c.state().isRunning()) {
            return out; // as Docker: a stopped container has no ports to show
        }
        List<PublishedPort> published = networks.publishedPorts(c.id());
        for (PublishedPort p : published) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("IP", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp());
            m.put("PrivatePort", p.containerPort());
            m.put("PublicPort", p.hostPort());
            m.put("Type", p.protocol());
            out.add(m);
        }
        if (c.settings().exposedPorts() != null) {
            for (String e : c.settings().exposedPorts()) {
                String key = e.contains("/") ? e : e + "/tcp";
                if (published.stream().noneMatch(p -> p.key().equals(key))) {
                    int slash = key.indexOf('/');
                    out.add(Map.of("PrivatePort", Integer.parseInt(key.substring(0, slash)), "Type",
                            key.substring(slash + 1)));
                }
            }
        }
        return out;
    }

    /** One entry of {@code NetworkSettings.Networks}. */
    static Map<String, Object> endpoint(NetworkService.EndpointView e, boolean running) {
        Map<String, Object> m = new LinkedHashMap<>();
        String ip = running && e.ip() != null ? e.ip() : "";
        Map<String, String> ipam = new LinkedHashMap<>();
        if (e.endpoint().staticIp() != null) {
            ipam.put("IPv4Address", e.endpoint().staticIp());
        }
        if (e.endpoint().staticIp6() != null) {
            ipam.put("IPv6Address", e.endpoint().staticIp6());
        }
        m.put("IPAMConfig", ipam.isEmpty() ? null : ipam);
        m.put("Links", null);
        m.put("Aliases", e.network().isDefaultBridge() || e.endpoint().aliases().isEmpty() ? null
                : e.endpoint().aliases());
        m.put("MacAddress", running && e.endpoint().mac() != null ? e.endpoint().mac() : "");
        m.put("DriverOpts", null);
        m.put("NetworkID", e.network().id());
        m.put("EndpointID", running ? e.endpoint().endpointId() : "");
        m.put("Gateway", running ? e.network().gateway() : "");
        m.put("IPAddress", ip);
        m.put("IPPrefixLen", running ? NetworkService.prefixLength(e.network()) : 0);
        boolean six = running && e.ip6() != null;
        m.put("IPv6Gateway", six ? e.network().gateway6() : "");
        m.put("GlobalIPv6Address", six ? e.ip6() : "");
        m.put("GlobalIPv6PrefixLen", six ? NetworkService.prefixLength6(e.network()) : 0);
        m.put("DNSNames", null);
        return m;
    }

    static NetworkSettings settings(Container c, NetworkService networks, Map<String, Object> fallback) {
        boolean running = c.state().isRunning();
        Map<String, Object> nets = new TreeMap<>();
        List<NetworkService.EndpointView> eps = networks.endpointsOf(c.id());
        eps.forEach(e -> nets.put(e.network().name(), endpoint(e, running)));
        String mode = c.settings().networkMode();
        if (nets.isEmpty() && (mode.equals("host") || mode.equals("none") || mode.startsWith("container:"))) {
            nets.putAll(fallback); // a container disconnected from its every network has none, as in Docker
        }
        NetworkService.EndpointView bridge = eps.stream().filter(e -> e.network().isDefaultBridge()).findFirst()
                .orElse(null);
        Map<String, Object> b = bridge == null ? null : endpoint(bridge, running);
        String sandbox = running && !eps.isEmpty() ? c.id().substring(0, 12) : "";
        return new NetworkSettings("", sandbox, "", ports(c, networks), false, "", 0, null, null,
                b == null ? "" : (String) b.get("EndpointID"), b == null ? "" : (String) b.get("Gateway"),
                b == null ? "" : (String) b.get("GlobalIPv6Address"), b == null ? 0 : (int) b.get("GlobalIPv6PrefixLen"),
                b == null ? "" : (String) b.get("IPAddress"), b == null ? 0 : (int) b.get("IPPrefixLen"),
                b == null ? "" : (String) b.get("IPv6Gateway"), b == null ? "" : (String) b.get("MacAddress"), nets);
    }
}
