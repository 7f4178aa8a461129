package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.networks.Network;
import dev.berth.engine.networks.NetworkService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The {@code /networks} endpoints: Docker's NetworkResource JSON over the engine's {@link NetworkService}. */
public final class NetworkRoutes {
    private final NetworkService networks;
    private final ContainerService containers;

    public NetworkRoutes(NetworkService networks, ContainerService containers) {
        this.networks = networks;
        this.containers = containers;
    }

    public void register(Router r) {
        r.add("GET", "/networks", (ex, p) -> list(ex));
        r.add("POST", "/networks/create", (ex, p) -> create(ex));
        r.add("POST", "/networks/prune", (ex, p) -> prune(ex));
        r.add("GET", "/networks/{id}", (ex, p) -> Responses.json(ex, 200, resource(networks.find(p.getFirst()))));
        r.add("DELETE", "/networks/{id}", (ex, p) -> {
            networks.remove(p.getFirst());
            ex.sendEmpty(204);
        });
        r.add("POST", "/networks/{id}/connect", (ex, p) -> connect(ex, p.getFirst()));
        r.add("POST", "/networks/{id}/disconnect", (ex, p) -> disconnect(ex, p.getFirst()));
    }

    private ObjectNode resource(Network n) {
        ObjectNode o = Responses.JSON.createObjectNode();
        o.put("Name", n.name());
        o.put("Id", n.id());
        o.put("Created", n.created());
        o.put("Scope", "local");
        o.put("Driver", n.driver());
        o.put("EnableIPv6", n.ipv6());
        ObjectNode ipam = o.putObject("IPAM");
        ipam.put("Driver", "default");
        ipam.putNull("Options");
        ArrayNode config = ipam.putArray("Config");
        if (n.subnet() != null) {
            ObjectNode c = config.addObject();
            c.put("Subnet", n.subnet());
            if (n.ipRange() != null) {
                c.put("IPRange", n.ipRange());
            }
            c.put("Gateway", n.gateway());
        }
        if (n.subnet6() != null) {
            config.addObject().put("Subnet", n.subnet6()).put("Gateway", n.gateway6());
        }
        o.put("Internal", n.internal());
        o.put("Attachable", n.attachable());
        o.put("Ingress", false);
        o.putObject("ConfigFrom").put("Network", "");
        o.put("ConfigOnly", false);
        ObjectNode cs = o.putObject("Containers");
        int prefix = NetworkService.prefixLength(n);
        int prefix6 = NetworkService.prefixLength6(n);
        networks.containersOn(n).forEach((id, e) -> {
            ObjectNode c = cs.putObject(id);
            c.put("Name", containers.registry().byId(id).map(Container::name).orElse(""));
            c.put("EndpointID", e.endpoint().endpointId());
            c.put("MacAddress", e.endpoint().mac() == null ? "" : e.endpoint().mac());
            c.put("IPv4Address", e.ip() + "/" + prefix);
            c.put("IPv6Address", e.ip6() == null ? "" : e.ip6() + "/" + prefix6);
        });
        o.set("Options", Responses.JSON.valueToTree(new TreeMap<>(n.options())));
        o.set("Labels", Responses.JSON.valueToTree(new TreeMap<>(n.labels())));
        return o;
    }

    private void list(Exchange ex) {
        Map<String, List<String>> filters = Filters.parse(ex.query("filters"));
        List<ObjectNode> out = new ArrayList<>();
        for (Network n : networks.list()) {
            if (matches(n, filters)) {
                out.add(resource(n));
            }
        }
        Responses.json(ex, 200, out);
    }

    private static boolean matches(Network n, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "name" -> values.stream().anyMatch(v -> n.name().contains(v));
                case "id" -> values.stream().anyMatch(v -> n.id().startsWith(v));
                case "driver" -> values.contains(n.driver());
                case "label" -> values.stream().allMatch(v -> Filters.labelMatches(v, n.labels()));
                case "type" -> values.stream().anyMatch(v -> v.equals(n.predefined() ? "builtin" : "custom"));
                case "scope" -> values.contains("local");
                case "dangling" -> true;
                default -> throw new EngineException.InvalidArgument("invalid filter '" + f.getKey() + "'");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void create(Exchange ex) throws Exception {
        JsonNode body = Responses.JSON.readTree(ex.body());
        if (body == null || !body.isObject()) {
            throw new EngineException.InvalidArgument("invalid network config");
        }
        // one IPAM entry per address family: the first of each
        JsonNode v4 = null;
        JsonNode v6 = null;
        for (JsonNode c : body.path("IPAM").path("Config")) {
            boolean six = c.path("Subnet").asText("").contains(":");
            if (six && v6 == null) {
                v6 = c;
            } else if (!six && v4 == null) {
                v4 = c;
            }
        }
        Network n = networks.create(new NetworkService.CreateRequest(body.path("Name").asText(""),
                body.path("Driver").asText(""), text(v4, "Subnet"), text(v4, "Gateway"), text(v4, "IPRange"),
                body.path("Internal").asBoolean(false), body.path("Attachable").asBoolean(false),
                strings(body.path("Labels")), strings(body.path("Options")), body.path("EnableIPv6").asBoolean(false),
                text(v6, "Subnet"), text(v6, "Gateway")));
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("Id", n.id());
        out.put("Warning", "");
        Responses.json(ex, 201, out);
    }

    private static String text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private void connect(Exchange ex, String ref) throws Exception {
        JsonNode body = Responses.JSON.readTree(ex.body());
        Network n = networks.find(ref);
        Container c = containers.inspect(body.path("Container").asText(""));
        JsonNode endpoint = body.path("EndpointConfig");
        List<String> aliases = new ArrayList<>();
        endpoint.path("Aliases").forEach(a -> aliases.add(a.asText()));
        networks.connect(c, n.id(), aliases, text(endpoint.path("IPAMConfig"), "IPv4Address"),
                text(endpoint.path("IPAMConfig"), "IPv6Address"));
        ex.sendEmpty(200);
    }

    /** As Docker: a forced disconnect of a container that no longer exists removes the endpoint it left. */
    private void disconnect(Exchange ex, String ref) throws Exception {
        JsonNode body = Responses.JSON.readTree(ex.body());
        String container = body.path("Container").asText("");
        boolean force = body.path("Force").asBoolean(false);
        Container c;
        try {
            c = containers.inspect(container);
        } catch (EngineException.NotFound e) {
            if (!force) {
                throw e;
            }
            networks.forceDelete(container, ref);
            ex.sendEmpty(200);
            return;
        }
        networks.disconnect(c, ref, force);
        ex.sendEmpty(200);
    }

    private void prune(Exchange ex) {
        Map<String, List<String>> filters = Filters.parse(ex.query("filters"));
        Predicate<Network> filter = n -> filters.getOrDefault("label", List.of()).stream()
                .allMatch(v -> Filters.labelMatches(v, n.labels()))
                && filters.getOrDefault("label!", List.of()).stream()
                        .noneMatch(v -> Filters.labelMatches(v, n.labels()));
        ObjectNode out = Responses.JSON.createObjectNode();
        ArrayNode deleted = out.putArray("NetworksDeleted");
        networks.prune(filter).forEach(deleted::add);
        Responses.json(ex, 200, out);
    }
}
