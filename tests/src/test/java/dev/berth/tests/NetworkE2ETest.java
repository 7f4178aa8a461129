package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Networking with real netavark and aardvark-dns: the default bridge, user-defined networks and their DNS, connect and
 * disconnect, host networking and published ports. Needs root. Each test daemon has its own bridge and subnet (see
 * {@link Daemon}); user-defined networks take a random 10.89.x.0/24, never a route of the host.
 */
class NetworkE2ETest extends BusyboxDaemonTest {
    private static final String HTTPD = "mkdir -p /www && echo hello-from-$(hostname) > /www/index.html"
            + " && exec httpd -f -p 80 -h /www";

    static String bridgeGateway() {
        return Cli.berth(daemon, "network", "inspect", "bridge", "--format", "{{range .IPAM.Config}}{{.Gateway}}{{end}}")
                .assertOk().out();
    }

    static String ip(String container) {
        return Cli.berth(daemon, "inspect", container, "--format", "{{.NetworkSettings.IPAddress}}").assertOk().out();
    }

    /** A /24 in 10.89.0.0/16 that is neither a host route nor another network of this daemon. */
    static String freeSubnet() throws IOException {
        String routes = new String(new ProcessBuilder("ip", "-4", "route").start().getInputStream().readAllBytes());
        for (int attempt = 0; attempt < 50; attempt++) {
            String candidate = "10.89." + ThreadLocalRandom.current().nextInt(1, 255) + ".0/24";
            String prefix = candidate.substring(0, candidate.lastIndexOf('.'));
            if (!routes.contains(prefix + ".")) {
                return candidate;
            }
        }
        throw new AssertionError("no free 10.89.x.0/24");
    }

    /** What aardvark-dns answers for, from its files: one line per container, its names after the address. */
    static String dnsRecords() throws Exception {
        Path dir = daemon.execRoot.resolve("netavark").resolve("aardvark-dns");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        StringBuilder all = new StringBuilder();
        do {
            all.setLength(0);
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("aardvark")).toList()) {
                    all.append(Files.readString(f));
                }
            }
            if (!all.toString().contains(" u1.monreseau0,")) {
                break; // teardown runs in the background: wait for it, boundedly
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return all.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Whether the host has IPv6: then, as Docker, a port published on every address is bound on [::] too. */
    static final boolean HOST_IPV6 = hostIpv6();

    private static boolean hostIpv6() {
        try {
            return !Files.readString(Path.of("/proc/net/if_inet6")).isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code text} on a host with IPv6, else nothing. */
    static String v6(String text) {
        return HOST_IPV6 ? text : "";
    }

    static String httpGet(int port) throws Exception {
        return httpGet("127.0.0.1", port);
    }

    static String httpGet(String host, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/index.html"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("no answer on " + host + ":" + port, last);
    }

    static void pingEventually(String from, String name) throws InterruptedException {
        Cli.Result r = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            r = Cli.berth(daemon, "exec", from, "ping", "-c", "1", "-W", "2", name);
            if (r.exitCode() == 0) {
                return;
            }
            Thread.sleep(500);
        }
        r.assertOk();
    }

    @Test
    void defaultBridge_reachesGatewayAndOtherContainersByAddress_butNotByName() {
        String gateway = bridgeGateway();
        Cli.berth(daemon, "run", "-d", "--name", "b1", "busybox", "sleep", "300").assertOk();
        // b2 asks the bridge's gateway for names (so the lookup stays on this machine): nothing answers there
        Cli.berth(daemon, "run", "-d", "--name", "b2", "--dns", gateway, "busybox", "sleep", "300").assertOk();
        String b1 = ip("b1");
        assertThat(b1).startsWith(gateway.substring(0, gateway.lastIndexOf('.') + 1));
        assertThat(Cli.berth(daemon, "inspect", "b1", "--format", "{{.NetworkSettings.Gateway}} {{.HostConfig.NetworkMode}}")
                .out()).isEqualTo(gateway + " bridge");
        Cli.berth(daemon, "exec", "b2", "ping", "-c", "1", "-W", "3", gateway).assertOk();
        Cli.berth(daemon, "exec", "b2", "ping", "-c", "1", "-W", "3", b1).assertOk();
        assertThat(Cli.berth(daemon, "exec", "b2", "ping", "-c", "1", "-W", "2", "b1").exitCode()).isNotZero();
        assertThat(Cli.berth(daemon, "exec", "b1", "cat", "/etc/hosts").out()).endsWith(b1 + "\t"
                + Cli.berth(daemon, "inspect", "b1", "--format", "{{.Config.Hostname}}").out());
        assertThat(Cli.berth(daemon, "network", "inspect", "bridge", "--format", "{{len .Containers}}").out())
                .isEqualTo("2");
        Cli.berth(daemon, "rm", "-f", "b1", "b2").assertOk();
    }

    @Test
    void userNetwork_resolvesNames_andRefusesRemovalWhileUsed() throws Exception {
        String subnet = freeSubnet();
        Cli.berth(daemon, "network", "create", "--driver=bridge", "--subnet=" + subnet, "monreseau0").assertOk();
        try {
            assertThat(Cli.berth(daemon, "network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}").stdout())
                    .contains("monreseau0 bridge local", "bridge bridge local", "host host local", "none null local");
            Cli.berth(daemon, "run", "-d", "--name", "u1", "--network", "monreseau0", "--network-alias", "web",
                    "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "u2", "--network", "monreseau0", "busybox", "sleep", "300")
                    .assertOk();
            String u1 = Cli.berth(daemon, "inspect", "u1", "--format",
                    "{{.NetworkSettings.Networks.monreseau0.IPAddress}}").out();
            assertThat(u1).startsWith(subnet.substring(0, subnet.lastIndexOf('.') + 1));
            Cli.berth(daemon, "exec", "u2", "ping", "-c", "1", "-W", "3", "u1").assertOk();
            assertThat(Cli.berth(daemon, "exec", "u2", "nslookup", "web").stdout()).contains(u1);
            assertThat(Cli.berth(daemon, "network", "inspect", "monreseau0", "--format", "{{len .Containers}}").out())
                    .isEqualTo("2");
            Cli.Result refused = Cli.berth(daemon, "network", "rm", "monreseau0");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stderr()).contains("has active endpoints");
            Cli.berth(daemon, "rm", "-f", "u1").assertOk();
            assertThat(dnsRecords()).doesNotContain(" u1.monreseau0,").contains(" u2.monreseau0,"); // a lookup would go to the host's DNS
            Cli.berth(daemon, "rm", "-f", "u2").assertOk();
        } finally {
            Cli.berth(daemon, "rm", "-f", "u1", "u2");
            Cli.berth(daemon, "network", "rm", "monreseau0").assertOk();
        }
        assertThat(Cli.berth(daemon, "network", "ls", "-q").stdout().lines().count()).isEqualTo(3);
    }

    @Test
    void networkConnect_addsASecondInterface_andDisconnectRemovesIt() throws Exception {
        Cli.berth(daemon, "network", "create", "--subnet", freeSubnet(), "second").assertOk();
        try {
            Cli.berth(daemon, "run", "-d", "--name", "multi", "busybox", "sleep", "300").assertOk();
            assertThat(Cli.berth(daemon, "exec", "multi", "ip", "-o", "link").stdout()).doesNotContain("eth1");
            Cli.berth(daemon, "network", "connect", "second", "multi").assertOk();
            assertThat(Cli.berth(daemon, "exec", "multi", "ip", "-o", "link").stdout()).contains("eth0", "eth1");
            assertThat(Cli.berth(daemon, "inspect", "multi", "--format",
                    "{{len .NetworkSettings.Networks}}").out()).isEqualTo("2");
            Cli.berth(daemon, "network", "disconnect", "second", "multi").assertOk();
            assertThat(Cli.berth(daemon, "exec", "multi", "ip", "-o", "link").stdout()).doesNotContain("eth1");
        } finally {
            Cli.berth(daemon, "rm", "-f", "multi");
            Cli.berth(daemon, "network", "rm", "second").assertOk();
        }
    }

    @Test
    void bip_setsTheDefaultBridge_andAChangeTakesEffectOnRestart() throws Exception {
        Path other = Files.createDirectories(base.resolve("bip"));
        Path config = other.resolve("bip.json");
        int third = ThreadLocalRandom.current().nextInt(1, 250);
        Files.writeString(config, "{\"bip\": \"10.208." + third + ".1/24\", \"bridge\": \"bbip" + third + "\"}");
        Daemon d = new Daemon(other).withConfigFile(config).start();
        try {
            Cli.berth(d, "import", Images.busyboxTar().toString(), "busybox:latest").assertOk();
            Cli.berth(d, "run", "-d", "--name", "onbip", "busybox", "sleep", "300").assertOk();
            assertThat(Cli.berth(d, "inspect", "onbip", "--format", "{{.NetworkSettings.IPAddress}}").out())
                    .isEqualTo("10.208." + third + ".2");
            Cli.berth(d, "exec", "onbip", "ping", "-c", "1", "-W", "3", "10.208." + third + ".1").assertOk();
            Cli.berth(d, "rm", "-f", "onbip").assertOk();
            d.close();
            // a daemon that stops with no container on its default bridge takes the bridge and its rules along
            assertThat(Path.of("/sys/class/net/bbip" + third)).doesNotExist();
            String rules = new String(new ProcessBuilder("iptables-save").start().getInputStream().readAllBytes());
            assertThat(rules).doesNotContain("bbip" + third);
            Files.writeString(config, "{\"bip\": \"10.209." + third + ".1/25\", \"bridge\": \"bbip" + third + "\"}");
            d.start();
            assertThat(Cli.berth(d, "network", "inspect", "bridge", "--format",
                    "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}").out())
                    .isEqualTo("10.209." + third + ".0/25 10.209." + third + ".1");
            assertThat(Cli.berth(d, "run", "--rm", "busybox", "ip", "-o", "-4", "addr", "show", "eth0").assertOk()
                    .out()).contains("inet 10.209." + third + ".2/25");
        } finally {
            d.close();
        }
    }

    @Test
    void hostNetwork_seesTheHostsInterfaces() throws Exception {
        String hostLinks = new String(new ProcessBuilder("ip", "-o", "link").start().getInputStream().readAllBytes());
        String firstNonLoopback = hostLinks.lines().map(l -> l.split(":")[1].trim().replaceAll("@.*", ""))
                .filter(n -> !n.equals("lo")).findFirst().orElseThrow();
        assertThat(Cli.berth(daemon, "run", "--rm", "--network", "host", "busybox", "ip", "-o", "link").assertOk()
                .stdout()).contains(firstNonLoopback);
        assertThat(Cli.berth(daemon, "run", "--rm", "--network", "none", "busybox", "ip", "-o", "link").assertOk()
                .stdout().lines().count()).isEqualTo(1);
    }

    @Test
    void publishedPort_answersOnLoopback_andATakenPortIsRefused() throws Exception {
        int port = freePort();
        Cli.berth(daemon, "run", "-d", "--name", "web", "-p", port + ":80", "busybox", "sh", "-c", HTTPD).assertOk();
        try {
            assertThat(httpGet(port)).startsWith("hello-from-");
            assertThat(Cli.berth(daemon, "ps", "--filter", "name=web", "--format", "{{.Ports}}").out())
                    .isEqualTo("0.0.0.0:" + port + "->80/tcp" + v6(", [::]:" + port + "->80/tcp"));
            assertThat(Cli.berth(daemon, "port", "web").out())
                    .isEqualTo("80/tcp -> 0.0.0.0:" + port + v6("\n80/tcp -> [::]:" + port));
            assertThat(Cli.berth(daemon, "inspect", "web", "--format", "{{ .NetworkSettings.Ports }}").out())
                    .isEqualTo("map[80/tcp:[{0.0.0.0 " + port + "}" + v6(" {:: " + port + "}") + "]]");
            if (HOST_IPV6) { // served by the daemon's proxy, as by Docker's
                assertThat(httpGet("[::1]", port)).startsWith("hello-from-");
            }
            Cli.Result taken = Cli.berth(daemon, "run", "-d", "--name", "web2", "-p", port + ":80", "busybox", "sleep", "60");
            assertThat(taken.exitCode()).isEqualTo(125);
            assertThat(taken.stderr()).contains("Bind for 0.0.0.0:" + port + " failed: port is already allocated");
            assertThat(daemon.execRoot.resolve("netns").resolve(
                    Cli.berth(daemon, "inspect", "web2", "--format", "{{.Id}}").out())).doesNotExist();
        } finally {
            Cli.berth(daemon, "rm", "-f", "web", "web2");
        }
    }

    @Test
    void publishAll_mapsExposedPortsToRandomHostPorts() throws Exception {
        Cli.berth(daemon, "run", "-d", "--name", "rnd", "--expose", "80", "-P", "busybox", "sh", "-c", HTTPD)
                .assertOk();
        try {
            List<String> bindings = Cli.berth(daemon, "port", "rnd", "80").assertOk().stdout().lines().toList();
            String hostSide = bindings.getFirst();
            assertThat(hostSide).matches("0\\.0\\.0\\.0:\\d+");
            assertThat(bindings).hasSize(HOST_IPV6 ? 2 : 1);
            assertThat(httpGet(Integer.parseInt(hostSide.substring(hostSide.indexOf(':') + 1))))
                    .startsWith("hello-from-");
        } finally {
            Cli.berth(daemon, "rm", "-f", "rnd");
        }
    }

    @Test
    void loopbackBinding_andUdp_areShownAsPublished() throws Exception {
        int port = freePort();
        Cli.berth(daemon, "run", "-d", "--name", "lo1", "-p", "127.0.0.1:" + port + ":80", "-p", port + ":53/udp",
                "busybox", "sh", "-c", HTTPD).assertOk();
        try {
            assertThat(httpGet(port)).startsWith("hello-from-");
            assertThat(Cli.berth(daemon, "port", "lo1").stdout().lines().toList())
                    .containsExactlyInAnyOrder("80/tcp -> 127.0.0.1:" + port, "53/udp -> 0.0.0.0:" + port);
        } finally {
            Cli.berth(daemon, "rm", "-f", "lo1");
        }
    }

    @Test
    void dockerCli_managesNetworks() throws Exception {
        String subnet = freeSubnet();
        String id = Cli.docker(daemon, "network", "create", "--subnet", subnet, "--label", "team=a", "dnet").assertOk()
                .out();
        try {
            assertThat(Cli.docker(daemon, "network", "ls", "--filter", "label=team=a", "--format", "{{.Name}}").out())
                    .isEqualTo("dnet");
            assertThat(Cli.docker(daemon, "network", "inspect", "dnet", "--format", "{{.Id}} {{.Driver}}").out())
                    .isEqualTo(id + " bridge");
            Cli.docker(daemon, "run", "-d", "--name", "d1", "--network", "dnet", "busybox", "sleep", "300").assertOk();
            Cli.docker(daemon, "run", "-d", "--name", "d2", "--network", "dnet", "busybox", "sleep", "300").assertOk();
            Cli.docker(daemon, "exec", "d2", "ping", "-c", "1", "-W", "3", "d1").assertOk();
            Cli.docker(daemon, "network", "disconnect", "dnet", "d1").assertOk();
            Cli.docker(daemon, "network", "connect", "--alias", "again", "dnet", "d1").assertOk();
            pingEventually("d2", "again"); // aardvark-dns reloads its names a moment after netavark wrote them
            Cli.docker(daemon, "rm", "-f", "d1", "d2").assertOk();
            Cli.docker(daemon, "network", "rm", "dnet").assertOk();
            assertThat(Cli.docker(daemon, "network", "inspect", "dnet").stderr()).contains("network dnet not found");
        } finally {
            Cli.berth(daemon, "rm", "-f", "d1", "d2");
            Cli.berth(daemon, "network", "rm", "-f", "dnet");
        }
    }

    @Test
    void createRefusesSubnetsOfTheHostAndOfOtherNetworks() throws Exception {
        // the route of the interface the default route goes through: the machine's own LAN, stable (bridges of
        // daemons running beside this one come and go)
        List<String> routes = new String(new ProcessBuilder("ip", "-4", "route").start().getInputStream()
                .readAllBytes()).lines().toList();
        String uplink = routes.stream().filter(l -> l.startsWith("default")).map(l -> l.replaceAll(".* dev (\\S+).*", "$1"))
                .findFirst().orElseThrow();
        String hostRoute = routes.stream().filter(l -> !l.startsWith("default") && l.contains(" dev " + uplink + " "))
                .map(l -> l.split(" ")[0]).filter(l -> l.contains("/")).findFirst().orElseThrow();
        Cli.Result r = Cli.berth(daemon, "network", "create", "--subnet", hostRoute, "clash");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("Pool overlaps with other one on this address space");
        String subnet = Cli.berth(daemon, "network", "inspect", "bridge", "--format",
                "{{range .IPAM.Config}}{{.Subnet}}{{end}}").out();
        assertThat(Cli.berth(daemon, "network", "create", "--subnet", subnet, "clash").stderr())
                .contains("Pool overlaps");
        assertThat(Cli.berth(daemon, "network", "rm", "bridge").stderr())
                .contains("bridge is a pre-defined network and cannot be removed");
        assertThat(Cli.berth(daemon, "network", "ls", "--format", "{{.Name}}").stdout()).doesNotContain("clash");
    }

    /**
     * What a container's networking leaves on the machine: veths on the bridge, namespaces (files and their nsfs
     * mounts), firewall rules naming the subnet, the bridge or a published port, and aardvark-dns names.
     */
    static List<String> leftovers(String bridge, String subnet, List<Integer> ports) throws Exception {
        List<String> found = new java.util.ArrayList<>();
        String veths = new String(new ProcessBuilder("ip", "-o", "link", "show", "master", bridge).start()
                .getInputStream().readAllBytes()).strip();
        if (!veths.isEmpty()) {
            found.add("veth: " + veths);
        }
        Path netns = daemon.execRoot.resolve("netns");
        if (Files.isDirectory(netns)) {
            try (var files = Files.list(netns)) {
                files.forEach(f -> found.add("netns: " + f));
            }
        }
        Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" " + netns + "/")).forEach(l -> found.add("nsfs mount: " + l));
        String rules = new String(new ProcessBuilder("iptables-save").start().getInputStream().readAllBytes());
        java.util.Set<String> dports = new java.util.HashSet<>();
        ports.forEach(p -> dports.add("--dport " + p + " "));
        // the network's own rules ("berth BRIDGE") stay while the daemon runs, as Docker's do; a container's go
        rules.lines().filter(l -> (l.contains(subnet) || l.contains("dnat name: " + bridge)
                || dports.stream().anyMatch(d -> (l + " ").contains(d))) && !l.contains("\"berth " + bridge + "\""))
                .forEach(l -> found.add("iptables: " + l));
        Path dns = daemon.execRoot.resolve("netavark").resolve("aardvark-dns");
        if (Files.isDirectory(dns)) {
            try (var files = Files.list(dns)) {
                files.filter(f -> !f.getFileName().toString().startsWith("aardvark"))
                        .forEach(f -> found.add("dns: " + f));
            }
        }
        return found;
    }

    /** Teardown runs in the background once a container is gone: it must be complete within a few seconds. */
    static void assertNoLeftovers(String bridge, String subnet, List<Integer> ports) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> found = leftovers(bridge, subnet, ports);
        while (!found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            found = leftovers(bridge, subnet, ports);
        }
        assertThat(found).isEmpty();
    }

    /** The host ports {@code containers} publish. */
    static List<Integer> hostPorts(List<String> containers) {
        List<String> args = new java.util.ArrayList<>(List.of("inspect", "--format",
                "{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{if ne .HostIp \"::\"}}{{.HostPort}} {{end}}"
                        + "{{end}}{{end}}")); // the [::] binding of a port is the same host port
        args.addAll(containers);
        return java.util.Arrays.stream(Cli.berth(daemon, args.toArray(String[]::new)).assertOk().stdout().split("\\s+"))
                .filter(p -> !p.isEmpty()).map(Integer::valueOf).toList();
    }

    /** Runs {@code count} containers named {@code prefix0..}, four at a time; their published host ports. */
    static List<Integer> runMany(String prefix, int count, String... options) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<Cli.Result>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = prefix + i;
                names.add(name);
                List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name));
                args.addAll(List.of(options));
                args.addAll(List.of("busybox", "sleep", "600"));
                runs.add(pool.submit(() -> Cli.berth(daemon, args.toArray(String[]::new))));
            }
            for (var run : runs) {
                run.get(5, java.util.concurrent.TimeUnit.MINUTES).assertOk();
            }
        }
        List<Integer> ports = hostPorts(names);
        assertThat(new java.util.HashSet<>(ports)).as("distinct host ports").hasSize(ports.size());
        return ports;
    }

    @Test
    void removedAndCrashedContainers_leaveNoVethNamespaceRuleOrName() throws Exception {
        String bridge = Cli.berth(daemon, "network", "inspect", "bridge", "--format",
                "{{index .Options \"com.docker.network.bridge.name\"}}").out();
        String subnet = Cli.berth(daemon, "network", "inspect", "bridge", "--format",
                "{{range .IPAM.Config}}{{.Subnet}}{{end}}").out();
        String userSubnet = freeSubnet();
        String userBridge = "br-" + Cli.berth(daemon, "network", "create", "--subnet", userSubnet, "rel").assertOk()
                .out().substring(0, 12);
        try {
            int n = 100;
            List<Integer> ports = new java.util.ArrayList<>(runMany("r", n, "-p", "80"));
            assertThat(ports).hasSize(n);
            ports.addAll(runMany("rdns", 3, "--network", "rel", "-p", "8080"));
            List<String> rm = new java.util.ArrayList<>(List.of("rm", "-f"));
            for (int i = 0; i < n; i++) {
                rm.add("r" + i);
            }
            rm.addAll(List.of("rdns0", "rdns1", "rdns2"));
            Cli.berth(daemon, rm.toArray(String[]::new)).assertOk();
            assertNoLeftovers(bridge, subnet, ports);
            assertNoLeftovers(userBridge, userSubnet, ports);
            assertThat(new ProcessBuilder("ip", "link", "show", userBridge).start().waitFor())
                    .as("the idle bridge of rel is removed").isNotZero();

            // a crash: containers die while no daemon runs; the next daemon undoes their networking
            List<Integer> crashed = new java.util.ArrayList<>(runMany("k", 10, "-p", "80"));
            crashed.addAll(runMany("kdns", 2, "--network", "rel", "-p", "8080"));
            // and containers that outlive the daemon: still running, and removed, after the restart
            List<Integer> alive = runMany("alive", 2, "--network", "rel", "-p", "80");
            crashed.addAll(alive);
            List<String> killed = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "kdns0", "kdns1");
            List<String> inspect = new java.util.ArrayList<>(List.of("inspect", "--format", "{{.State.Pid}}"));
            inspect.addAll(killed);
            String pids = Cli.berth(daemon, inspect.toArray(String[]::new)).assertOk().out();
            daemon.kill9();
            for (String pid : pids.lines().toList()) {
                new ProcessBuilder("kill", "-9", pid).start().waitFor();
            }
            Thread.sleep(1000);
            daemon.start();
            assertThat(Cli.berth(daemon, "inspect", "k1", "--format", "{{.State.Status}}").out()).isEqualTo("exited");
            assertThat(Cli.berth(daemon, "inspect", "alive0", "--format", "{{.State.Status}}").out())
                    .isEqualTo("running");
            assertThat(hostPorts(List.of("alive0", "alive1"))).isEqualTo(alive);
            Cli.berth(daemon, "exec", "alive1", "ping", "-c", "1", "-W", "3", "alive0").assertOk();
            Cli.berth(daemon, "rm", "-f", "alive0", "alive1").assertOk();
            assertNoLeftovers(bridge, subnet, crashed);
            assertNoLeftovers(userBridge, userSubnet, crashed);
            // the addresses are free again, and handed out once each
            Cli.berth(daemon, "start", "k1", "kdns0").assertOk();
            assertThat(ip("k1")).isNotEmpty();
            List<String> rmKilled = new java.util.ArrayList<>(List.of("rm", "-f"));
            rmKilled.addAll(killed);
            Cli.berth(daemon, rmKilled.toArray(String[]::new)).assertOk();
            assertNoLeftovers(bridge, subnet, crashed);
            assertNoLeftovers(userBridge, userSubnet, crashed);
        } finally {
            Cli.berth(daemon, "network", "rm", "rel");
        }
    }
}
