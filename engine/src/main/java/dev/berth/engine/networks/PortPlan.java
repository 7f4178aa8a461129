package dev.berth.engine.networks;

import dev.berth.engine.EngineException;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.Networking;
import dev.berth.network.HostPorts;
import dev.berth.network.PortMapping;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which host ports a starting container publishes: its {@code -p} bindings, and with {@code -P} every exposed port,
 * random ports chosen where none was given. A port another running container publishes, or a host process listens on,
 * fails the start with Docker's message. The caller holds the lock that makes choosing and recording one step.
 */
final class PortPlan {
    private PortPlan() {}

    /** @param published the ports of the running containers */
    static List<PortMapping> of(Container c, Map<String, List<PortMapping>> published) {
        Networking net = c.settings().net();
        Map<String, List<Networking.PortBinding>> wanted = new LinkedHashMap<>(net.portBindings());
        if (net.publishAllPorts() && c.settings().exposedPorts() != null) {
            for (String p : c.settings().exposedPorts()) {
                wanted.putIfAbsent(p.contains("/") ? p : p + "/tcp", List.of(new Networking.PortBinding("", "")));
            }
        }
        Set<String> taken = new HashSet<>();
        published.forEach((id, list) -> {
            if (!id.equals(c.id())) {
                list.forEach(p -> taken.add(p.protocol() + "/" + p.hostPort()));
            }
        });
        List<PortMapping> out = new ArrayList<>();
        for (Map.Entry<String, List<Networking.PortBinding>> e : wanted.entrySet()) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            String proto = slash < 0 ? "tcp" : key.substring(slash + 1);
            int containerPort = Integer.parseInt(slash < 0 ? key : key.substring(0, slash));
            List<Networking.PortBinding> bindings = e.getValue() == null || e.getValue().isEmpty()
                    ? List.of(new Networking.PortBinding("", "")) : e.getValue();
            for (Networking.PortBinding b : bindings) {
                String hostIp = b.hostIp() == null ? "" : b.hostIp();
                int hostPort;
                if (b.hostPort() == null || b.hostPort().isEmpty()) {
                    hostPort = HostPorts.pick(hostIp, proto, taken);
                } else if (b.hostPort().contains("-")) {
                    hostPort = firstFree(c, hostIp, b.hostPort(), proto, taken);
                } else {
                    hostPort = Integer.parseInt(b.hostPort());
                    String shown = (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + hostPort;
                    if (taken.contains(proto + "/" + hostPort)) {
                        throw new EngineException.Internal("driver failed programming external connectivity on "
                                + "endpoint " + c.name() + " (" + c.id() + "): Bind for " + shown
                                + " failed: port is already allocated", null);
                    }
                    if (!HostPorts.free(hostIp, hostPort, proto)) {
                        throw new EngineException.Internal("driver failed programming external connectivity on "
                                + "endpoint " + c.name() + " (" + c.id() + "): Error starting userland proxy: listen "
                                + proto + "4 " + shown + ": bind: address already in use", null);
                    }
                }
                taken.add(proto + "/" + hostPort);
                out.add(new PortMapping(hostIp, hostPort, containerPort, proto));
            }
        }
        return List.copyOf(out);
    }

    /** A host range given for one container port ({@code -p 8000-8010:80}): its first port free on the host. */
    private static int firstFree(Container c, String hostIp, String range, String proto, Set<String> taken) {
        int dash = range.indexOf('-');
        int first;
        int last;
        try {
            first = Integer.parseInt(range.substring(0, dash));
            last = Integer.parseInt(range.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("invalid port range: " + range, e);
        }
        for (int p = first; p <= last; p++) {
            if (!taken.contains(proto + "/" + p) && HostPorts.free(hostIp, p, proto)) {
                return p;
            }
        }
        throw new EngineException.Internal("driver failed programming external connectivity on endpoint " + c.name()
                + " (" + c.id() + "): Bind for " + (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + range
                + " failed: port is already allocated", null);
    }
}
