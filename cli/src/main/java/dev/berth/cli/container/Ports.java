package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PORTS column (docker formatter DisplayablePorts): runs of consecutive unpublished ports collapse to ranges
 * ("80-81/tcp"), ports published on the same number show as "ip:80->80/tcp", other mappings as "ip:8080->80/tcp".
 */
final class Ports {
    private record Port(String ip, int privatePort, int publicPort, String type) {
    }

    private static final class Group {
        final int first;
        int last;

        Group(int port) {
            this.first = port;
            this.last = port;
        }
    }

    private Ports() {
    }

    static String display(JsonNode ports) {
        List<Port> list = new ArrayList<>();
        for (JsonNode p : ports) {
            list.add(new Port(p.path("IP").asText(""), p.path("PrivatePort").asInt(), p.path("PublicPort").asInt(),
                    p.path("Type").asText("")));
        }
        list.sort(Comparator.comparingInt(Port::privatePort).thenComparing(Port::ip)
                .thenComparingInt(Port::publicPort).thenComparing(Port::type));
        Map<String, Group> groups = new LinkedHashMap<>();
        List<String> result = new ArrayList<>();
        List<String> mappings = new ArrayList<>();
        for (Port port : list) {
            String key = port.type();
            if (!port.ip().isEmpty()) {
                if (port.publicPort() != port.privatePort()) {
                    String host = port.ip().contains(":") ? "[" + port.ip() + "]" : port.ip();
                    mappings.add(host + ":" + port.publicPort() + "->" + port.privatePort() + "/" + port.type());
                    continue;
                }
                key = port.ip() + "/" + port.type();
            }
            Group group = groups.get(key);
            if (group == null) {
                groups.put(key, new Group(port.privatePort()));
            } else if (port.privatePort() == group.last + 1) {
                group.last = port.privatePort();
            } else {
                result.add(form(key, group));
                groups.put(key, new Group(port.privatePort()));
            }
        }
        groups.forEach((key, group) -> result.add(form(key, group)));
        result.addAll(mappings);
        return String.join(", ", result);
    }

    private static String form(String key, Group g) {
        int slash = key.lastIndexOf('/');
        String ip = slash >= 0 ? key.substring(0, slash) : "";
        String type = slash >= 0 ? key.substring(slash + 1) : key;
        String range = g.first == g.last ? Integer.toString(g.first) : g.first + "-" + g.last;
        if (!ip.isEmpty()) {
            range = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + range + "->" + range;
        }
        return range + "/" + type;
    }
}
