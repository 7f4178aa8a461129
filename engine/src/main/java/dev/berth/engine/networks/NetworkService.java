package dev.berth.engine.networks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerNetworking;
import dev.berth.engine.containers.Lifecycle;
import dev.berth.engine.containers.Networking;
import dev.berth.engine.events.EventBus;
import dev.berth.network.Attachment;
import dev.berth.network.HostRoutes;
import dev.berth.network.IpSubnet;
import dev.berth.network.Ipam;
import dev.berth.network.Ipv4Subnet;
import dev.berth.network.Ipv6Subnet;
import dev.berth.network.LoopbackProxy;
import dev.berth.network.NetNs;
import dev.berth.network.Netavark;
import dev.berth.network.PortMapping;
import dev.berth.runtime.ContainerSpec;
import dev.berth.store.meta.NetworkStore;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Networks ({@code bridge}, {@code host}, {@code none} and user-defined bridges) and the containers' endpoints on
 * them. The network model and IPAM are Berth's, kept in the database; netavark does the wiring. A running container
 * has a directory {@code <exec-root>/netns/<id>/} holding its namespace file ({@code ns}) and, per network, the JSON
 * netavark was set up with: that is all teardown needs, so a daemon that crashed undoes what it finds there when it
 * starts ({@link #reconcile}).
 *
 * <p>Lock order: the container's operation lock (held by the caller) before this service's monitor; the monitor is
 * held for address and port choices only, never while netavark runs.
 */
public final class NetworkService implements ContainerNetworking {
    private static final Logger LOG = Logger.getLogger(NetworkService.class.getName());
    private static final boolean HOST_HAS_IPV6 = hostHasIpv6();
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    /** Where Docker takes subnets for networks created without one. */
    private static final List<String> POOLS = pools();

    private final DaemonConfig config;
    private final EventBus events;
    private final NetworkStore db;
    private final Netavark netavark;
    private final Clock clock;
    private final Path stateRoot;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Network> networks = new ConcurrentHashMap<>();
    /** Published ports of running containers. */
    private final Map<String, List<PortMapping>> published = new ConcurrentHashMap<>();
    /** The {@code [::1]} side of the published ports of running containers on dual-stack networks. */
    private final Map<String, List<LoopbackProxy>> proxies = new ConcurrentHashMap<>();
    private Function<String, Optional<Container>> containers = id -> Optional.empty();
    private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    public NetworkService(DaemonConfig config, NetworkStore db, Netavark netavark, Clock clock, EventBus events) {
        this.config = config;
        this.events = events;
        this.db = db;
        this.netavark = netavark;
        this.clock = clock;
        this.stateRoot = config.execRoot().resolve("netns");
        try {
            for (NetworkStore.NetworkRow row : db.networks()) {
                networks.put(row.id(), json.readValue(row.record(), Network.class));
            }
            ensureDefaults();
        } catch (SQLException | IOException e) {
            throw new EngineException.Internal("cannot read networks: " + e.getMessage(), e);
        }
    }

    /** How the service finds containers by ID (set once the container service exists). */
    public void containers(Function<String, Optional<Container>> byId) {
        this.containers = byId;
    }

    private static List<String> pools() {
        List<String> out = new ArrayList<>();
        for (int i = 18; i <= 31; i++) {
            out.add("172." + i + ".0.0/16");
        }
        for (int i = 0; i < 256; i += 16) {
            out.add("192.168." + i + ".0/20");
        }
        return out;
    }

    private void ensureDefaults() throws SQLException, IOException {
        String bip = config.bip() == null || config.bip().isBlank() ? "172.17.0.1/16" : config.bip();
        Ipv4Subnet subnet;
        try {
            subnet = Ipv4Subnet.parse(bip);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid bip " + bip + ": " + e.getMessage(), e);
        }
        String gateway = bip.substring(0, bip.indexOf('/'));
        Map<String, String> options = new TreeMap<>(Map.of(Network.BRIDGE_NAME_OPTION, config.bridge(),
                "com.docker.network.bridge.default_bridge", "true", "com.docker.network.bridge.enable_icc", "true",
                "com.docker.network.bridge.enable_ip_masquerade", "true",
                "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0", "com.docker.network.driver.mtu", "1500"));
        Optional<Network> existing = byName("bridge");
        Network bridge = new Network(existing.map(Network::id).orElseGet(this::newId), "bridge", "bridge",
                existing.map(Network::created).orElseGet(this::now), subnet.toString(), gateway, null, false, false,
                Map.of(), options, config.bridge(), null, null);
        if (existing.isEmpty() || !existing.get().equals(bridge)) {
            // a changed bip or bridge name takes effect on the next daemon start, as in Docker
            existing.ifPresent(n -> deleteRecord(n.id()));
            insert(bridge);
        }
        for (String[] n : new String[][] {{"host", "host"}, {"none", "null"}}) {
            if (byName(n[0]).isEmpty()) {
                insert(new Network(newId(), n[0], n[1], now(), null, null, null, false, false, Map.of(), Map.of(),
                        null, null, null));
            }
        }
    }

    private String now() {
        return RFC3339.format(clock.instant().atOffset(java.time.ZoneOffset.UTC));
    }

    private String newId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private void insert(Network n) {
        try {
            if (!db.insertNetwork(new NetworkStore.NetworkRow(n.id(), n.name(), json.writeValueAsString(n)))) {
                throw new EngineException.Conflict("network with name " + n.name() + " already exists");
            }
        } catch (SQLException | IOException e) {
            throw new EngineException.Internal("cannot record network " + n.name() + ": " + e.getMessage(), e);
        }
        networks.put(n.id(), n);
    }

    private void deleteRecord(String id) {
        try {
            db.deleteNetwork(id);
        } catch (SQLException e) {
            throw new EngineException.Internal("cannot remove network " + id + ": " + e.getMessage(), e);
        }
        networks.remove(id);
    }

    private Optional<Network> byName(String name) {
        return networks.values().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    // ---- networks ---------------------------------------------------------------------------------------------------

    public List<Network> list() {
        return networks.values().stream().sorted(java.util.Comparator.comparing(Network::name)).toList();
    }

    /** By full ID, exact name, then unique ID prefix, as Docker looks networks up. */
    public Network find(String ref) {
        Network byId = networks.get(ref);
        if (byId != null) {
            return byId;
        }
        Optional<Network> named = byName(ref);
        if (named.isPresent()) {
            return named.get();
        }
        List<Network> prefixed = networks.values().stream().filter(n -> n.id().startsWith(ref)).toList();
        if (prefixed.size() == 1 && !ref.isEmpty()) {
            return prefixed.getFirst();
        }
        if (prefixed.size() > 1) {
            throw new EngineException.InvalidArgument("network " + ref + " is ambiguous (" + prefixed.size()
                    + " matches found based on ID prefix)");
        }
        throw new EngineException.NotFound("network " + ref + " not found");
    }

    /**
     * What {@code docker network create} asks for; nulls and empties mean "choose". {@code subnet}, {@code gateway} and
     * {@code ipRange} are the IPv4 side, {@code subnet6} and {@code gateway6} the IPv6 one ({@code --ipv6}).
     */
    public record CreateRequest(String name, String driver, String subnet, String gateway, String ipRange,
            boolean internal, boolean attachable, Map<String, String> labels, Map<String, String> options,
            boolean ipv6, String subnet6, String gateway6) {
        /** An IPv4-only network. */
        public CreateRequest(String name, String driver, String subnet, String gateway, String ipRange,
                boolean internal, boolean attachable, Map<String, String> labels, Map<String, String> options) {
            this(name, driver, subnet, gateway, ipRange, internal, attachable, labels, options, false, null, null);
        }
    }

    public synchronized Network create(CreateRequest r) {
        String name = r.name();
        if (name == null || name.isEmpty() || !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new EngineException.InvalidArgument("invalid network name \"" + name + "\"");
        }
        if (byName(name).isPresent()) {
            throw new EngineException.Conflict("network with name " + name + " already exists");
        }
        String driver = r.driver() == null || r.driver().isEmpty() ? "bridge" : r.driver();
        if (driver.equals("host") || driver.equals("null")) {
            throw new EngineException.Forbidden("only one instance of \"" + (driver.equals("null") ? "none" : driver)
                    + "\" network is allowed");
        }
        if (!driver.equals("bridge")) {
            throw new EngineException.NotFound("plugin \"" + driver + "\" not found");
        }
        Map<String, String> options = r.options() == null ? Map.of() : new TreeMap<>(r.options());
        String id = newId();
        String bridgeName = options.getOrDefault(Network.BRIDGE_NAME_OPTION, "br-" + id.substring(0, 12));
        if (bridgeName.length() > 15 || !bridgeName.matches("[a-zA-Z0-9_.-]+")) {
            throw new EngineException.InvalidArgument("invalid bridge name " + bridgeName);
        }
        if (networks.values().stream().anyMatch(n -> bridgeName.equals(n.bridge()))) {
            throw new EngineException.Conflict("bridge name " + bridgeName + " is already in use by another network");
        }
        Ipv4Subnet subnet;
        if (r.subnet() == null || r.subnet().isEmpty()) {
            if (r.gateway() != null && !r.gateway().isEmpty()) {
                throw new EngineException.InvalidArgument("no matching subnet for gateway " + r.gateway());
            }
            subnet = POOLS.stream().map(Ipv4Subnet::parse).filter(s -> !collides(s)).findFirst()
                    .orElseThrow(() -> new EngineException.Forbidden(
                            "all predefined address pools have been fully subnetted"));
        } else {
            if (r.subnet().contains(":")) {
                throw new EngineException.InvalidArgument("IPv6 networks are not supported: " + r.subnet());
            }
            subnet = parse(r.subnet());
            if (collides(subnet)) {
                throw new EngineException.Forbidden("Pool overlaps with other one on this address space");
            }
        }
        String gateway = r.gateway() == null || r.gateway().isEmpty() ? subnet.firstHost() : r.gateway();
        if (!subnet.contains(Ipv4Subnet.address(checkAddress(gateway)))) {
            throw new EngineException.InvalidArgument("no matching subnet for gateway " + gateway);
        }
        String ipRange = null;
        if (r.ipRange() != null && !r.ipRange().isEmpty()) {
            Ipv4Subnet range = parse(r.ipRange());
            if (!subnet.overlaps(range) || range.prefix() < subnet.prefix()) {
                throw new EngineException.InvalidArgument("no matching subnet for range " + r.ipRange());
            }
            ipRange = range.toString();
        }
        Ipv6Subnet subnet6 = ipv6Subnet(r);
        String gateway6 = null;
        if (subnet6 != null) {
            gateway6 = r.gateway6() == null || r.gateway6().isEmpty() ? subnet6.firstHost() : r.gateway6();
            if (!subnet6.contains(checkAddress6(gateway6))) {
                throw new EngineException.InvalidArgument("no matching subnet for gateway " + gateway6);
            }
            gateway6 = Ipv6Subnet.canonical(gateway6);
        }
        Network n = new Network(id, name, "bridge", now(), subnet.toString(), gateway, ipRange, r.internal(),
                r.attachable(), r.labels() == null ? Map.of() : Map.copyOf(r.labels()), options, bridgeName,
                subnet6 == null ? null : subnet6.toString(), gateway6);
        insert(n);
        event(n, "create", null);
        return n;
    }

    /** The IPv6 subnet of a {@code --ipv6} network; Docker assigns none from a default pool, so one must be given. */
    private Ipv6Subnet ipv6Subnet(CreateRequest r) {
        boolean given = r.subnet6() != null && !r.subnet6().isEmpty();
        if (given && !r.ipv6()) {
            throw new EngineException.InvalidArgument("invalid network config:\nIPv6 subnet " + r.subnet6()
                    + " provided but IPv6 is not enabled");
        }
        if (!r.ipv6()) {
            return null;
        }
        if (!given) {
            throw new EngineException.Forbidden(
                    "could not find an available, non-overlapping IPv6 address pool among the defaults to assign to "
                            + "the network");
        }
        Ipv6Subnet subnet6;
        try {
            subnet6 = Ipv6Subnet.parse(r.subnet6());
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid CIDR address: " + r.subnet6(), e);
        }
        boolean overlaps = networks.values().stream()
                .anyMatch(n -> n.subnet6() != null && Ipv6Subnet.parse(n.subnet6()).overlaps(subnet6));
        try {
            overlaps = overlaps || HostRoutes.overlapping6(subnet6, ourBridges()).isPresent();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the host's IPv6 routes", e);
        }
        if (overlaps) {
            throw new EngineException.Forbidden("Pool overlaps with other one on this address space");
        }
        return subnet6;
    }

    private static String checkAddress6(String ip) {
        try {
            Ipv6Subnet.address(ip);
            return ip;
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid IP address: " + ip, e);
        }
    }

    private static Ipv4Subnet parse(String cidr) {
        try {
            return Ipv4Subnet.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid CIDR address: " + cidr, e);
        }
    }

    private static String checkAddress(String ip) {
        try {
            Ipv4Subnet.address(ip);
            return ip;
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid IP address: " + ip, e);
        }
    }

    /** Whether {@code s} overlaps another network of this daemon or a route of the host (other than our bridges'). */
    private boolean collides(Ipv4Subnet s) {
        for (Network n : networks.values()) {
            if (n.subnet() != null && Ipv4Subnet.parse(n.subnet()).overlaps(s)) {
                return true;
            }
        }
        try {
            return HostRoutes.overlapping(s, ourBridges()).isPresent();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the host's routes", e);
            return false;
        }
    }

    private Set<String> ourBridges() {
        Set<String> ours = new HashSet<>();
        networks.values().forEach(n -> {
            if (n.bridge() != null) {
                ours.add(n.bridge());
            }
        });
        return ours;
    }

    public void remove(String ref) {
        settle(null);
        removeSettled(ref);
    }

    private synchronized void removeSettled(String ref) {
        Network n = find(ref);
        if (n.predefined()) {
            throw new EngineException.Forbidden(n.name() + " is a pre-defined network and cannot be removed");
        }
        List<NetworkStore.EndpointRow> eps = endpoints().stream().filter(e -> e.networkId().equals(n.id())).toList();
        if (eps.stream().anyMatch(e -> e.ip() != null)) {
            throw new EngineException.Forbidden("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        try {
            for (NetworkStore.EndpointRow e : eps) {
                db.deleteEndpoint(e.containerId(), e.networkId());
            }
        } catch (SQLException e) {
            throw new EngineException.Internal("cannot remove network " + n.name() + ": " + e.getMessage(), e);
        }
        deleteRecord(n.id());
        event(n, "destroy", null);
    }

    /** Docker's network events: the network's name and driver, and the container for connect and disconnect. */
    private void event(Network n, String action, String containerId) {
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("name", n.name());
        attributes.put("type", n.driver());
        if (containerId != null) {
            attributes.put("container", containerId);
        }
        events.emit("network", action, n.id(), attributes);
    }

    /** Removes the user-defined networks no running container uses and that {@code filter} accepts; their names. */
    public List<String> prune(Predicate<Network> filter) {
        settle(null);
        List<String> removed = new ArrayList<>();
        for (Network n : list()) {
            if (n.predefined() || !filter.test(n)) {
                continue;
            }
            try {
                if (endpoints().stream().noneMatch(e -> e.networkId().equals(n.id()))) {
                    removeSettled(n.id());
                    removed.add(n.name());
                }
            } catch (EngineException e) {
                LOG.log(Level.FINE, "network " + n.name() + " stays", e);
            }
        }
        return removed;
    }

    // ---- endpoints ----------------------------------------------------------------------------------------------------

    private List<NetworkStore.EndpointRow> endpoints() {
        try {
            return db.endpoints();
        } catch (SQLException e) {
            throw new EngineException.Internal("cannot read network endpoints: " + e.getMessage(), e);
        }
    }

    private Endpoint endpoint(NetworkStore.EndpointRow row) {
        try {
            return json.readValue(row.record(), Endpoint.class);
        } catch (IOException e) {
            throw new EngineException.Internal("unreadable endpoint of " + row.containerId(), e);
        }
    }

    private void putEndpoint(String containerId, String networkId, Endpoint e) {
        try {
            db.putEndpoint(containerId, networkId, json.writeValueAsString(e));
        } catch (SQLException | IOException x) {
            throw new EngineException.Internal("cannot record the endpoint of " + containerId + ": " + x.getMessage(),
                    x);
        }
    }

    /** A container's place on a network, as inspect shows it; {@code ip6} null on an IPv4-only network. */
    public record EndpointView(Network network, Endpoint endpoint, String ip, String ip6) {}

    /** The networks {@code containerId} is on, in the order it joined them. */
    public List<EndpointView> endpointsOf(String containerId) {
        List<EndpointView> out = new ArrayList<>();
        for (NetworkStore.EndpointRow row : endpoints()) {
            Network n = networks.get(row.networkId());
            if (row.containerId().equals(containerId) && n != null) {
                out.add(new EndpointView(n, endpoint(row), row.ip(), row.ip6()));
            }
        }
        return out;
    }

    /**
     * The ports published by a running container. A port published on every host address is bound for IPv6 too (on a
     * dual-stack network by the firewall, else, for TCP on a host with IPv6, by the proxy), and Docker shows that
     * binding on its own, on {@code ::}.
     */
    public List<PublishedPort> publishedPorts(String containerId) {
        List<PortMapping> ports = published.getOrDefault(containerId, List.of());
        boolean dualStack = !ports.isEmpty()
                && endpointsOf(containerId).stream().findFirst().map(e -> e.network().ipv6()).orElse(false);
        List<PublishedPort> out = new ArrayList<>();
        for (PortMapping p : ports) {
            out.add(new PublishedPort(p.hostIp(), p.hostPort(), p.containerPort(), p.protocol()));
            if (p.hostIp().isEmpty() && (dualStack || HOST_HAS_IPV6 && p.protocol().equals("tcp"))) {
                out.add(new PublishedPort("::", p.hostPort(), p.containerPort(), p.protocol()));
            }
        }
        return List.copyOf(out);
    }

    /** The containers on a network, for inspect. */
    public Map<String, EndpointView> containersOn(Network n) {
        Map<String, EndpointView> out = new LinkedHashMap<>();
        for (NetworkStore.EndpointRow row : endpoints()) {
            if (row.networkId().equals(n.id()) && row.ip() != null) {
                out.put(row.containerId(), new EndpointView(n, endpoint(row), row.ip(), row.ip6()));
            }
        }
        return out;
    }

    private static boolean wired(String mode) {
        return !(mode.equals("host") || mode.equals("none") || mode.startsWith("container:"));
    }

    @Override
    public void join(Container c) {
        String mode = c.settings().networkMode();
        Networking net = c.settings().net();
        if (mode.startsWith("container:")) {
            String other = mode.substring("container:".length());
            if (other.isEmpty()) {
                throw new EngineException.InvalidArgument("invalid container format container:<name|id>");
            }
            return;
        }
        Network n = find(mode);
        if (!n.isBridge()) {
            if (!net.portBindings().isEmpty() && n.name().equals("host")) {
                LOG.fine("published ports are discarded when using host network mode");
            }
            return;
        }
        if (net.ipv4Address() != null && !net.ipv4Address().isEmpty()) {
            if (n.isDefaultBridge()) {
                throw new EngineException.InvalidArgument(
                        "user specified IP address is supported on user defined networks only");
            }
            if (!Ipv4Subnet.parse(n.subnet()).contains(Ipv4Subnet.address(checkAddress(net.ipv4Address())))) {
                throw new EngineException.InvalidArgument("Invalid address " + net.ipv4Address()
                        + ": It does not belong to any of this network's subnets");
            }
        }
        checkIpv6Address(n, net.ipv6Address());
        if (!net.aliases().isEmpty() && n.isDefaultBridge()) {
            throw new EngineException.InvalidArgument(
                    "network-scoped alias is supported only for containers in user defined networks");
        }
        putEndpoint(c.id(), n.id(), new Endpoint(newId(), List.copyOf(net.aliases()), emptyToNull(net.ipv4Address()),
                emptyToNull(net.macAddress()), null, canonical6(net.ipv6Address())));
    }

    /** {@code --ip6}: on a user-defined network, in its IPv6 subnet. */
    private static void checkIpv6Address(Network n, String ip6) {
        if (ip6 == null || ip6.isEmpty()) {
            return;
        }
        if (n.isDefaultBridge()) {
            throw new EngineException.InvalidArgument(
                    "user specified IP address is supported on user defined networks only");
        }
        checkAddress6(ip6);
        if (n.subnet6() == null || !Ipv6Subnet.parse(n.subnet6()).contains(ip6)) {
            throw new EngineException.InvalidArgument("Invalid address " + ip6
                    + ": It does not belong to any of this network's subnets");
        }
    }

    private static String canonical6(String ip6) {
        return ip6 == null || ip6.isEmpty() ? null : Ipv6Subnet.canonical(ip6);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** {@code docker network connect}: a running container gets the new interface at once. */
    public void connect(Container c, String networkRef, List<String> aliases, String ip, String ip6) {
        settle(c.id());
        Network n = find(networkRef);
        String mode = c.settings().networkMode();
        if (!wired(mode) || !n.isBridge()) {
            if (mode.equals("host") || n.name().equals("host")) {
                throw new EngineException.Forbidden(
                        "container cannot be disconnected from host network or connected to host network");
            }
            throw new EngineException.Forbidden("container cannot be connected to multiple networks with one of the "
                    + "networks in private (none) mode");
        }
        if (endpointsOf(c.id()).stream().anyMatch(e -> e.network().id().equals(n.id()))) {
            throw new EngineException.Forbidden("endpoint with name " + c.name() + " already exists in network "
                    + n.name());
        }
        if (ip != null && !ip.isEmpty() && n.isDefaultBridge()) {
            throw new EngineException.InvalidArgument(
                    "user specified IP address is supported on user defined networks only");
        }
        checkIpv6Address(n, ip6);
        putEndpoint(c.id(), n.id(), new Endpoint(newId(), aliases == null ? List.of() : List.copyOf(aliases),
                emptyToNull(ip), null, null, canonical6(ip6)));
        if (c.state().isRunning() && Files.exists(nsFile(c.id()))) {
            List<EndpointView> all = endpointsOf(c.id());
            try {
                attach(c, all.getLast(), "eth" + (all.size() - 1), List.of());
            } catch (IOException | RuntimeException e) {
                forgetEndpoint(c.id(), n.id());
                throw new EngineException.Internal("failed to connect container " + c.name() + " to network "
                        + n.name() + ": " + e.getMessage(), e);
            }
        }
        event(n, "connect", c.id());
    }

    /**
     * {@code docker network disconnect}. As Docker, a stopped container just leaves the network's list, and {@code
     * force} also accepts a network that no longer exists.
     */
    public void disconnect(Container c, String networkRef, boolean force) {
        settle(c.id());
        boolean running = c.state().isRunning();
        Network n;
        try {
            n = find(networkRef);
        } catch (EngineException.NotFound e) {
            if (!force) {
                throw e;
            }
            throw notConnected(c, networkRef, false);
        }
        if (c.settings().networkMode().equals("host") || n.name().equals("host")) {
            throw new EngineException.Forbidden(
                    "container cannot be disconnected from host network or connected to host network");
        }
        if (endpointsOf(c.id()).stream().noneMatch(e -> e.network().id().equals(n.id()))) {
            throw notConnected(c, n.name(), running);
        }
        undo(c.id(), n.id());
        forgetEndpoint(c.id(), n.id());
        event(n, "disconnect", c.id());
    }

    /**
     * Docker's words: a running container's endpoint is looked up on the network ({@code onNetwork}), a stopped one's
     * (or one on a network that is gone) in its settings.
     */
    private static EngineException notConnected(Container c, String network, boolean onNetwork) {
        return new EngineException.Forbidden("container " + c.id() + " is not connected to "
                + (onNetwork ? "network " : "the network ") + network);
    }

    /**
     * {@code docker network disconnect -f NET NAME} for a container that no longer exists: removes the endpoint it left
     * on the network (veth, firewall rules, DNS names, address), found by the container name netavark was given.
     */
    public void forceDelete(String containerName, String networkRef) {
        settle(null);
        Network n = find(networkRef);
        String owner = null;
        if (Files.isDirectory(stateRoot)) {
            try (var dirs = Files.list(stateRoot)) {
                for (Path d : dirs.toList()) {
                    Path file = d.resolve(n.id() + ".json");
                    if (Files.exists(file)) {
                        String name = json.readTree(file.toFile()).path("container_name").asText("");
                        if (name.equals(containerName) || name.equals(containerName + "." + n.name())) {
                            owner = d.getFileName().toString();
                        }
                    }
                }
            } catch (IOException e) {
                throw new EngineException.Internal("cannot scan " + stateRoot + ": " + e.getMessage(), e);
            }
        }
        if (owner == null || containers.apply(owner).isPresent()) {
            throw new EngineException.NotFound("endpoint " + containerName + " not found");
        }
        undo(owner, n.id());
        forgetEndpoint(owner, n.id());
        try (var rest = Files.list(stateDir(owner))) {
            if (rest.noneMatch(p -> p.toString().endsWith(".json"))) {
                undoAll(owner); // its last endpoint: the namespace goes too
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list the network state of " + owner, e);
        }
        event(n, "disconnect", owner);
    }

    private void forgetEndpoint(String containerId, String networkId) {
        try {
            db.setAddress(containerId, networkId, null);
            db.deleteEndpoint(containerId, networkId);
        } catch (SQLException e) {
            throw new EngineException.Internal("cannot remove an endpoint of " + containerId + ": " + e.getMessage(),
                    e);
        }
    }

    // ---- start / stop -------------------------------------------------------------------------------------------------

    private Path stateDir(String containerId) {
        return stateRoot.resolve(containerId);
    }

    private Path nsFile(String containerId) {
        return stateDir(containerId).resolve("ns");
    }

    @Override
    public Setup setUp(Container c, Path userns) throws Lifecycle.StartFailure {
        String mode = c.settings().networkMode();
        String hostGateway = byName("bridge").map(Network::gateway).orElse(null);
        if (mode.equals("host")) {
            return new Setup(new ContainerSpec.NetworkMode.Host(), List.of(), List.of(), hostGateway, null);
        }
        if (mode.equals("none")) {
            return new Setup(new ContainerSpec.NetworkMode.New(), List.of(), List.of(), hostGateway, null);
        }
        if (mode.startsWith("container:")) {
            return joinContainer(c, mode.substring("container:".length()), hostGateway);
        }
        List<EndpointView> eps = endpointsOf(c.id());
        if (eps.isEmpty()) {
            // created by an older daemon or its network was removed: nothing to join, as a none container
            throw new Lifecycle.StartFailure("network " + mode + " not found", 125, null);
        }
        settle(c.id());
        undoAll(c.id()); // what a crash may have left of an earlier start
        List<PortMapping> ports;
        synchronized (this) {
            try {
                ports = PortPlan.of(c, published);
            } catch (EngineException e) {
                throw new Lifecycle.StartFailure(e.getMessage(), 125, e);
            }
            published.put(c.id(), ports);
        }
        try {
            NetNs.create(nsFile(c.id()), userns);
            List<String> addresses = new ArrayList<>();
            List<String> nameservers = new ArrayList<>();
            List<String> options = new ArrayList<>();
            for (int i = 0; i < eps.size(); i++) {
                Wiring w = prepare(c, eps.get(i), "eth" + i, i == 0 ? ports : List.of());
                if (i == 0) {
                    addresses.add(w.ip());
                    if (w.ip6() != null) {
                        addresses.add(w.ip6());
                    }
                }
                options.add(w.options());
                Network n = eps.get(i).network();
                if (!n.isDefaultBridge() && !n.internal()) {
                    nameservers.add(n.gateway());
                }
            }
            // netavark runs while the runtime creates the container; the lifecycle waits for it before the process
            // starts. Registered as pending, so a teardown of this container comes after it.
            Path ns = nsFile(c.id());
            CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
                try {
                    for (String o : options) {
                        netavark.setup(ns, o);
                    }
                    proxyIpv6(c.id(), json.readTree(options.getFirst()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Thread::startVirtualThread);
            pending.put(c.id(), ready);
            ready.whenComplete((v, e) -> pending.remove(c.id(), ready));
            return new Setup(new ContainerSpec.NetworkMode.Existing(ns), addresses, nameservers, hostGateway, ready);
        } catch (IOException | RuntimeException e) {
            undoAll(c.id());
            String message = e instanceof EngineException ? e.getMessage()
                    : "failed to set up the network of container " + c.id() + ": " + e.getMessage();
            throw new Lifecycle.StartFailure(message, 125, e);
        }
    }

    private Setup joinContainer(Container c, String ref, String hostGateway) throws Lifecycle.StartFailure {
        Container other = containers.apply(ref).orElse(null);
        if (other == null) {
            throw new Lifecycle.StartFailure("No such container: " + ref, 125, null);
        }
        if (!other.state().isRunning()) {
            throw new Lifecycle.StartFailure("cannot join network of a non running container: " + other.id(), 125,
                    null);
        }
        Path ns = Files.exists(nsFile(other.id())) ? nsFile(other.id())
                : Path.of("/proc/" + other.state().pid() + "/ns/net");
        return new Setup(new ContainerSpec.NetworkMode.Existing(ns), List.of(), List.of(), hostGateway, null, other);
    }

    /** Allocates an address on the endpoint's network and runs netavark for it; returns the address. */
    private String attach(Container c, EndpointView ep, String iface, List<PortMapping> ports) throws IOException {
        Wiring w = prepare(c, ep, iface, ports);
        netavark.setup(nsFile(c.id()), w.options());
        return w.ip();
    }

    /** An address chosen and the netavark input that wires it, kept in the container's state directory. */
    private record Wiring(String ip, String ip6, String options) {}

    private Wiring prepare(Container c, EndpointView ep, String iface, List<PortMapping> ports) throws IOException {
        Network n = ep.network();
        Addresses addresses = allocate(c.id(), n, ep.endpoint());
        String ip = addresses.ip();
        List<String> aliases = new ArrayList<>();
        if (!n.isDefaultBridge()) {
            aliases.add(c.name());
            aliases.add(c.shortId());
            aliases.addAll(ep.endpoint().aliases());
        }
        String mac = ep.endpoint().staticMac() != null ? ep.endpoint().staticMac() : macOf(ip);
        Attachment a = new Attachment(netavarkName(n), n.id(), n.bridge(), Ipv4Subnet.parse(n.subnet()), n.gateway(),
                n.internal(), !n.isDefaultBridge(), iface, ip, mac, aliases, n.ipv6()
                        ? new Attachment.Ipv6(Ipv6Subnet.parse(n.subnet6()), n.gateway6(), addresses.ip6()) : null);
        String options = Netavark.options(c.id(), dnsName(c, n), List.of(a), ports);
        Path file = stateDir(c.id()).resolve(n.id() + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, options); // before setup: a crash in the middle is still undone
        putEndpoint(c.id(), n.id(), ep.endpoint().withMac(mac));
        return new Wiring(ip, addresses.ip6(), options);
    }

    /**
     * The name netavark gives aardvark-dns first, before the aliases: on a user-defined network {@code NAME.NETWORK},
     * the name Docker's embedded DNS answers a reverse lookup with (aardvark-dns answers PTR with the names in order).
     */
    private static String dnsName(Container c, Network n) {
        return n.isDefaultBridge() ? c.name() : c.name() + "." + n.name();
    }

    /**
     * Docker's classic MAC address, {@code 02:42} then the four bytes of the IPv4 address: an address that comes back
     * (a restart, a reconnect) keeps its MAC, so neighbours' ARP caches stay right.
     */
    static String macOf(String ip) {
        int a = Ipv4Subnet.address(ip);
        return String.format("02:42:%02x:%02x:%02x:%02x", (a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255);
    }

    /**
     * The name netavark knows a network by: its bridge interface, unique on the machine. netavark names its firewall
     * chains after it, so networks of the same name in two daemons must not share it.
     */
    private static String netavarkName(Network n) {
        return n.bridge();
    }

    /** A container's addresses on one network; {@code ip6} null on an IPv4-only network. */
    private record Addresses(String ip, String ip6) {}

    private synchronized Addresses allocate(String containerId, Network n, Endpoint e) {
        Set<String> used = new HashSet<>();
        Set<String> used6 = new HashSet<>();
        used.add(n.gateway());
        used6.add(n.gateway6());
        for (NetworkStore.EndpointRow row : endpoints()) {
            if (row.networkId().equals(n.id()) && !row.containerId().equals(containerId)) {
                used.add(row.ip());
                used6.add(row.ip6());
            }
        }
        String ip = pick(Ipv4Subnet.parse(n.subnet()), n.ipRange() == null ? null : Ipv4Subnet.parse(n.ipRange()),
                e.staticIp(), used);
        String ip6 = n.ipv6() ? pick(Ipv6Subnet.parse(n.subnet6()), null, e.staticIp6(), used6) : null;
        try {
            if (!db.setAddresses(containerId, n.id(), ip, ip6)) {
                throw new EngineException.Forbidden("Address already in use");
            }
        } catch (SQLException x) {
            throw new EngineException.Internal("cannot record address " + ip + ": " + x.getMessage(), x);
        }
        return new Addresses(ip, ip6);
    }

    /** The static address if free, else the lowest free one of the range. */
    private static String pick(IpSubnet subnet, IpSubnet range, String staticIp, Set<String> used) {
        if (staticIp != null) {
            if (used.contains(staticIp)) {
                throw new EngineException.Forbidden("Address already in use");
            }
            return staticIp;
        }
        try {
            return Ipam.next(subnet, range, used);
        } catch (IllegalStateException x) {
            throw new EngineException.Unavailable(x.getMessage(), x);
        }
    }


    /**
     * Starts undoing the container's networking in the background (netavark takes long under load, and nothing the
     * user waits for needs it done): its addresses and host ports stay reserved until it is. A start of the same
     * container, and the network verbs, wait for it.
     */
    @Override
    public void tearDown(String containerId) {
        later(containerId, () -> undoAll(containerId));
    }

    @Override
    public void forget(String containerId) {
        later(containerId, () -> {
            undoAll(containerId);
            try {
                db.deleteEndpoints(containerId);
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "cannot remove the endpoints of " + containerId, e);
            }
        });
    }

    private void later(String containerId, Runnable work) {
        CompletableFuture<Void> f = pending.compute(containerId, (id, before) -> (before == null
                ? CompletableFuture.<Void>completedFuture(null) : before.handle((v, e) -> (Void) null))
                .thenRunAsync(work, Thread::startVirtualThread).exceptionally(e -> {
                    LOG.log(Level.WARNING, "network teardown of " + id + " failed", e);
                    return null;
                }));
        f.whenComplete((v, e) -> pending.remove(containerId, f));
    }

    /** Waits for the pending teardown of {@code containerId}, or of every container when null. */
    public void settle(String containerId) {
        List<CompletableFuture<Void>> waits = containerId == null ? List.copyOf(pending.values())
                : java.util.Optional.ofNullable(pending.get(containerId)).map(List::of).orElse(List.of());
        for (CompletableFuture<Void> f : waits) {
            try {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.log(Level.WARNING, "a network teardown did not finish", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        pending.entrySet().removeIf(e -> e.getValue().isDone());
    }

    private void undoAll(String containerId) {
        Optional.ofNullable(proxies.remove(containerId)).ifPresent(list -> list.forEach(LoopbackProxy::close));
        Path dir = stateDir(containerId);
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                    String networkId = f.getFileName().toString().replace(".json", "");
                    undo(containerId, networkId);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot list the network state of " + containerId, e);
            }
            try {
                NetNs.remove(nsFile(containerId));
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove the network namespace of " + containerId, e);
            }
        }
        try {
            for (NetworkStore.EndpointRow row : db.endpoints()) {
                if (row.containerId().equals(containerId) && row.ip() != null) {
                    db.setAddress(containerId, row.networkId(), null);
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "cannot release the addresses of " + containerId, e);
        }
        published.remove(containerId); // last: the host ports are free once their rules are gone
    }

    /** Runs netavark teardown for one network of a container, if it was set up, and releases its address. */
    private void undo(String containerId, String networkId) {
        Path file = stateDir(containerId).resolve(networkId + ".json");
        try {
            if (Files.exists(file)) {
                netavark.teardown(nsFile(containerId), Files.readString(file));
                Files.delete(file);
            }
            db.setAddress(containerId, networkId, null);
        } catch (IOException | SQLException e) {
            LOG.log(Level.WARNING, "cannot tear down network " + networkId + " of container " + containerId, e);
        }
    }

    /**
     * After a daemon start: re-learns the ports of running containers, undoes what stopped or vanished containers left
     * (namespaces, veths, firewall rules, DNS names, addresses) and forgets endpoints of containers that no longer exist.
     */
    public void reconcile(Set<String> running, Set<String> existing) {
        settle(null);
        if (Files.isDirectory(stateRoot)) {
            try (var dirs = Files.list(stateRoot)) {
                for (Path d : dirs.toList()) {
                    String id = d.getFileName().toString();
                    if (running.contains(id)) {
                        published.put(id, portsFromState(d));
                        try (var files = Files.list(d)) {
                            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                                proxyIpv6(id, json.readTree(f.toFile()));
                            }
                        }
                    } else {
                        undoAll(id);
                    }
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot scan " + stateRoot, e);
            }
        }
        for (NetworkStore.EndpointRow row : endpoints()) {
            try {
                if (!existing.contains(row.containerId()) || !networks.containsKey(row.networkId())) {
                    db.deleteEndpoint(row.containerId(), row.networkId());
                } else if (!running.contains(row.containerId()) && row.ip() != null) {
                    db.setAddress(row.containerId(), row.networkId(), null);
                }
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "cannot reconcile the endpoint of " + row.containerId(), e);
            }
        }
    }

    /** At daemon shutdown: waits for teardowns, then removes the default bridge if nothing uses it any more. */
    public void close() {
        settle(null);
        try {
            netavark.close(byName("bridge").map(Network::bridge).orElse(null));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove the idle default bridge", e);
        }
    }

    /**
     * Serves IPv6 clients of the published TCP ports of a container, from the netavark input that wired it (see
     * {@link LoopbackProxy}): {@code [::1]} for a container with an IPv6 address (the other addresses are DNAT'd), and
     * every IPv6 address for one without, as Docker's proxy does, when the host has IPv6. A port that cannot be bound
     * there only loses its IPv6 side.
     */
    private void proxyIpv6(String containerId, JsonNode options) {
        String ip4 = null;
        String ip6 = null;
        for (JsonNode n : options.path("networks")) {
            for (JsonNode ip : n.path("static_ips")) {
                if (ip.asText().contains(":")) {
                    ip6 = ip.asText();
                } else if (ip4 == null) {
                    ip4 = ip.asText();
                }
            }
        }
        if (ip6 == null && (ip4 == null || !HOST_HAS_IPV6)) {
            return;
        }
        for (JsonNode p : options.path("port_mappings")) {
            String hostIp = p.path("host_ip").asText("");
            if (!p.path("protocol").asText("tcp").equals("tcp") || !(hostIp.isEmpty()
                    || ip6 != null && (hostIp.equals("::") || hostIp.equals("::1")))) {
                continue;
            }
            int hostPort = p.path("host_port").asInt();
            int port = p.path("container_port").asInt();
            try {
                LoopbackProxy proxy = ip6 != null
                        ? LoopbackProxy.start(hostPort, new InetSocketAddress(Inet6Address.ofLiteral(ip6), port))
                        : LoopbackProxy.startForIpv4(hostPort, new InetSocketAddress(Inet4Address.ofLiteral(ip4), port));
                proxies.computeIfAbsent(containerId, k -> new CopyOnWriteArrayList<>()).add(proxy);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot serve [::]:" + hostPort + " for " + containerId, e);
            }
        }
    }

    /** Whether the host has IPv6 addresses at all (the kernel lists them in {@code /proc/net/if_inet6}). */
    private static boolean hostHasIpv6() {
        try {
            return !Files.readString(Path.of("/proc/net/if_inet6")).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private List<PortMapping> portsFromState(Path dir) {
        List<PortMapping> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode root = json.readTree(f.toFile());
                for (JsonNode p : root.path("port_mappings")) {
                    out.add(new PortMapping(p.path("host_ip").asText(""), p.path("host_port").asInt(),
                            p.path("container_port").asInt(), p.path("protocol").asText("tcp")));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the network state in " + dir, e);
        }
        return List.copyOf(out);
    }

    /** Subnet prefix length of a network, for inspect. */
    public static int prefixLength(Network n) {
        return n.subnet() == null ? 0 : Ipv4Subnet.parse(n.subnet()).prefix();
    }

    /** IPv6 subnet prefix length of a network, 0 when it has none, for inspect. */
    public static int prefixLength6(Network n) {
        return n.subnet6() == null ? 0 : Ipv6Subnet.parse(n.subnet6()).prefix();
    }
}
