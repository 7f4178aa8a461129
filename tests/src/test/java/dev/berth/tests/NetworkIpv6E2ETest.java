package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * IPv6 on user-defined bridge networks ({@code --ipv6}), with real netavark, aardvark-dns and ip6tables. Needs root.
 * Every network takes a random ULA /64 under {@code fd00:b3::/32} (never the host's own prefixes), so daemons running
 * beside this one do not collide; traffic stays between the host and the namespaces the daemon creates.
 */
class NetworkIpv6E2ETest extends BusyboxDaemonTest {
    private static final String HTTPD = "mkdir -p /www && echo hello-from-$(hostname) > /www/index.html"
            + " && exec httpd -f -p 80 -h /www";

    /** A random {@code fd00:b3:xxxx::/64}, returned as its prefix without the "/64" and "::" parts. */
    static String freePrefix6() {
        return "fd00:b3:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff));
    }

    static String inspect(String object, String format) {
        return Cli.berth(daemon, "inspect", object, "--format", format).assertOk().out();
    }

    static String bridgeOf(String network) {
        return "br-" + Cli.berth(daemon, "network", "inspect", network, "--format", "{{.Id}}").assertOk().out()
                .substring(0, 12);
    }

    /** Retries while aardvark-dns picks up names netavark just wrote. */
    static Cli.Result eventually(String... args) throws InterruptedException {
        Cli.Result r = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            r = Cli.berth(daemon, args);
            if (r.exitCode() == 0) {
                return r;
            }
            Thread.sleep(500);
        }
        return r.assertOk();
    }

    static String httpGet(String host, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/index.html"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("no answer on " + host + ":" + port, last);
    }

    /** What the container networking of {@code subnet6} leaves in ip6tables, besides the IPv4 leftovers. */
    static List<String> ip6Leftovers(String bridge, String subnet6) throws Exception {
        List<String> found = new ArrayList<>();
        for (String table : List.of("nat", "filter")) {
            String rules = new String(new ProcessBuilder("ip6tables", "-t", table, "-S").start().getInputStream()
                    .readAllBytes());
            rules.lines().filter(l -> l.contains(subnet6) || l.contains("dnat name: " + bridge))
                    .forEach(l -> found.add("ip6tables: " + l));
        }
        return found;
    }

    static void assertNoLeftovers(String bridge, String subnet4, String subnet6) throws Exception {
        NetworkE2ETest.assertNoLeftovers(bridge, subnet4, List.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> found = ip6Leftovers(bridge, subnet6);
        while (!found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            found = ip6Leftovers(bridge, subnet6);
        }
        assertThat(found).isEmpty();
    }

    @Test
    void dualStack_givesBothAddresses_pingsOverIpv6_resolvesAaaa_andInspectShowsIt() throws Exception {
        String p6 = freePrefix6();
        String subnet4 = NetworkE2ETest.freeSubnet();
        Cli.berth(daemon, "network", "create", "--ipv6", "--subnet", p6 + "::/64", "--gateway", p6 + "::1",
                "--subnet", subnet4, "ds").assertOk();
        try {
            assertThat(Cli.berth(daemon, "network", "inspect", "ds", "--format",
                    "{{.EnableIPv6}} {{range .IPAM.Config}}{{.Subnet}},{{.Gateway}} {{end}}").out())
                    .isEqualTo("true " + subnet4 + "," + subnet4.replace("0/24", "1") + " " + p6 + "::/64," + p6
                            + "::1");
            assertThat(Cli.berth(daemon, "network", "ls", "--filter", "name=ds", "--format", "{{.Name}} {{.IPv6}}")
                    .out()).isEqualTo("ds true");
            Cli.berth(daemon, "run", "-d", "--name", "s1", "--network", "ds", "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "s2", "--network", "ds", "--ip6", p6 + "::20", "busybox",
                    "sleep", "300").assertOk();
            assertThat(inspect("s1", "{{.NetworkSettings.Networks.ds.GlobalIPv6Address}} "
                    + "{{.NetworkSettings.Networks.ds.GlobalIPv6PrefixLen}} {{.NetworkSettings.Networks.ds.IPv6Gateway}}"))
                    .isEqualTo(p6 + "::2 64 " + p6 + "::1");
            assertThat(inspect("s2", "{{.NetworkSettings.Networks.ds.GlobalIPv6Address}} "
                    + "{{.NetworkSettings.Networks.ds.IPAMConfig.IPv6Address}}")).isEqualTo(p6 + "::20 " + p6 + "::20");
            // as Docker: the top-level fields describe the default bridge only
            assertThat(inspect("s1", "[{{.NetworkSettings.GlobalIPv6Address}}] {{.NetworkSettings.GlobalIPv6PrefixLen}}"
                    + " [{{.NetworkSettings.IPv6Gateway}}]")).isEqualTo("[] 0 []");
            String s1Id = inspect("s1", "{{.Id}}");
            assertThat(Cli.berth(daemon, "network", "inspect", "ds", "--format",
                    "{{(index .Containers \"" + s1Id + "\").IPv6Address}}").out()).isEqualTo(p6 + "::2/64");

            assertThat(Cli.berth(daemon, "exec", "s1", "ip", "-o", "-6", "addr", "show", "eth0").assertOk().out())
                    .contains("inet6 " + p6 + "::2/64");
            assertThat(Cli.berth(daemon, "exec", "s1", "ip", "-6", "route").assertOk().out())
                    .contains("default via " + p6 + "::1 dev eth0");
            Cli.berth(daemon, "exec", "s1", "ping", "-6", "-c", "1", "-W", "3", p6 + "::20").assertOk();
            Cli.berth(daemon, "exec", "s2", "ping6", "-c", "1", "-W", "3", p6 + "::1").assertOk();
            assertThat(eventually("exec", "s1", "nslookup", "-type=AAAA", "s2").stdout()).contains(p6 + "::20");
            eventually("exec", "s2", "ping", "-6", "-c", "1", "-W", "3", "s1");
        } finally {
            Cli.berth(daemon, "rm", "-f", "s1", "s2");
            Cli.berth(daemon, "network", "rm", "ds").assertOk();
        }
    }

    @Test
    void publishedPort_onDualStack_isShownOnBothFamilies_andAnswersOverIpv6() throws Exception {
        String p6 = freePrefix6();
        Cli.berth(daemon, "network", "create", "--ipv6", "--subnet", p6 + "::/64", "web6").assertOk();
        int port = NetworkE2ETest.freePort();
        try {
            Cli.berth(daemon, "run", "-d", "--name", "w6", "--network", "web6", "-p", port + ":80", "busybox", "sh",
                    "-c", HTTPD).assertOk();
            assertThat(Cli.berth(daemon, "ps", "--filter", "name=w6", "--format", "{{.Ports}}").out())
                    .isEqualTo("0.0.0.0:" + port + "->80/tcp, [::]:" + port + "->80/tcp");
            assertThat(Cli.berth(daemon, "port", "w6").stdout().lines().toList())
                    .containsExactly("80/tcp -> 0.0.0.0:" + port, "80/tcp -> [::]:" + port);
            assertThat(Cli.berth(daemon, "port", "w6", "80").stdout().lines().toList())
                    .containsExactly("0.0.0.0:" + port, "[::]:" + port);
            assertThat(httpGet("127.0.0.1", port)).startsWith("hello-from-");
            assertThat(httpGet("[" + p6 + "::1]", port)).startsWith("hello-from-"); // the host's address on the bridge
            assertThat(httpGet("[::1]", port)).startsWith("hello-from-");
        } finally {
            Cli.berth(daemon, "rm", "-f", "w6");
            Cli.berth(daemon, "network", "rm", "web6").assertOk();
        }
    }

    @Test
    void badIpv6Input_isRefusedWithDockersErrors_andLeavesNothing() throws Exception {
        String p6 = freePrefix6();
        Cli.Result noFlag = Cli.berth(daemon, "network", "create", "--subnet", p6 + "::/64", "bad6");
        assertThat(noFlag.exitCode()).isEqualTo(1);
        assertThat(noFlag.stderr()).contains("IPv6 is not enabled");
        Cli.berth(daemon, "network", "create", "--ipv6", "--subnet", p6 + "::/64", "good6").assertOk();
        try {
            Cli.Result overlap = Cli.berth(daemon, "network", "create", "--ipv6", "--subnet", p6 + "::/80", "bad6");
            assertThat(overlap.exitCode()).isEqualTo(1);
            assertThat(overlap.stderr()).contains("Pool overlaps with other one on this address space");
            Cli.Result gateway = Cli.berth(daemon, "network", "create", "--ipv6", "--subnet", p6 + ":1::/64",
                    "--gateway", p6 + "::1", "bad6");
            assertThat(gateway.stderr()).contains("no matching subnet for gateway " + p6 + "::1");
            Cli.Result outside = Cli.berth(daemon, "run", "-d", "--name", "out6", "--network", "good6", "--ip6",
                    "fd00:b2::5", "busybox", "sleep", "60");
            assertThat(outside.exitCode()).isEqualTo(125);
            assertThat(outside.stderr()).contains("Invalid address fd00:b2::5: It does not belong to any of this "
                    + "network's subnets");
            Cli.Result onBridge = Cli.berth(daemon, "run", "-d", "--name", "out6", "--ip6", p6 + "::5", "busybox",
                    "sleep", "60");
            assertThat(onBridge.stderr()).contains("user specified IP address is supported on user defined networks only");
            assertThat(Cli.berth(daemon, "network", "ls", "--format", "{{.Name}}").stdout()).doesNotContain("bad6");
            assertThat(Cli.berth(daemon, "ps", "-a", "--format", "{{.Names}}").stdout()).doesNotContain("out6");
        } finally {
            Cli.berth(daemon, "network", "rm", "good6").assertOk();
        }
    }

    @Test
    void apiCreate_withAnIpv6OnlyConfig_alsoTakesAnIpv4Subnet_andConnectTakesAnIp6() throws Exception {
        String p6 = freePrefix6();
        Api.Reply created = Api.call(daemon, "POST", "/networks/create", "{\"Name\":\"api6\",\"EnableIPv6\":true,"
                + "\"IPAM\":{\"Driver\":\"default\",\"Config\":[{\"Subnet\":\"" + p6 + "::/64\"}]}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        try {
            String config = Cli.berth(daemon, "network", "inspect", "api6", "--format",
                    "{{range .IPAM.Config}}{{.Subnet}} {{end}}").out();
            assertThat(config).matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+ " + p6 + "::/64");
            Cli.berth(daemon, "run", "-d", "--name", "c6", "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "network", "connect", "--ip6", p6 + "::33", "api6", "c6").assertOk();
            assertThat(Cli.berth(daemon, "exec", "c6", "ip", "-o", "-6", "addr", "show", "eth1").assertOk().out())
                    .contains("inet6 " + p6 + "::33/64");
            assertThat(inspect("c6", "{{.NetworkSettings.Networks.api6.GlobalIPv6Address}}")).isEqualTo(p6 + "::33");
            Cli.berth(daemon, "network", "disconnect", "api6", "c6").assertOk();
            assertThat(Cli.berth(daemon, "exec", "c6", "ip", "-o", "link").stdout()).doesNotContain("eth1");
        } finally {
            Cli.berth(daemon, "rm", "-f", "c6");
            Cli.berth(daemon, "network", "rm", "api6").assertOk();
        }
    }

    @Test
    void addresses_stayUniqueAcrossACrash_andNothingIsLeftBehind() throws Exception {
        String p6 = freePrefix6();
        String subnet4 = NetworkE2ETest.freeSubnet();
        Cli.berth(daemon, "network", "create", "--ipv6", "--subnet", p6 + "::/64", "--subnet", subnet4, "crash6")
                .assertOk();
        String bridge = bridgeOf("crash6");
        try {
            Cli.berth(daemon, "run", "-d", "--name", "k1", "--network", "crash6", "-p", "80", "busybox", "sh", "-c",
                    HTTPD).assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "k2", "--network", "crash6", "busybox", "sleep", "300")
                    .assertOk();
            Cli.berth(daemon, "rm", "-f", "k2").assertOk();
            // a daemon crash while k1 runs: k1 keeps its address, and a new container gets another one
            daemon.kill9();
            daemon.start();
            assertThat(inspect("k1", "{{.NetworkSettings.Networks.crash6.GlobalIPv6Address}}")).isEqualTo(p6 + "::2");
            String hostSide = Cli.berth(daemon, "port", "k1", "80").assertOk().stdout().lines().toList().getLast();
            assertThat(hostSide).startsWith("[::]:");
            assertThat(httpGet("[::1]", Integer.parseInt(hostSide.substring("[::]:".length()))))
                    .startsWith("hello-from-"); // the new daemon serves [::1] again
            Cli.berth(daemon, "run", "-d", "--name", "k3", "--network", "crash6", "busybox", "sleep", "300")
                    .assertOk();
            assertThat(inspect("k3", "{{.NetworkSettings.Networks.crash6.GlobalIPv6Address}}")).isEqualTo(p6 + "::3");
            Cli.berth(daemon, "exec", "k3", "ping", "-6", "-c", "1", "-W", "3", p6 + "::2").assertOk();
            assertThat(ip6Leftovers(bridge, p6 + "::/64")).isNotEmpty(); // the check sees rules while they exist
            // containers die while no daemon runs: the next daemon undoes their networking
            String pids = Cli.berth(daemon, "inspect", "k1", "k3", "--format", "{{.State.Pid}}").assertOk().out();
            daemon.kill9();
            for (String pid : pids.lines().toList()) {
                new ProcessBuilder("kill", "-9", pid).start().waitFor();
            }
            Thread.sleep(1000);
            daemon.start();
            assertNoLeftovers(bridge, subnet4, p6 + "::/64");
            Cli.berth(daemon, "start", "k3").assertOk();
            assertThat(inspect("k3", "{{.NetworkSettings.Networks.crash6.GlobalIPv6Address}}")).isEqualTo(p6 + "::2");
            Cli.berth(daemon, "rm", "-f", "k1", "k3").assertOk();
            assertNoLeftovers(bridge, subnet4, p6 + "::/64");
        } finally {
            Cli.berth(daemon, "rm", "-f", "k1", "k2", "k3");
            Cli.berth(daemon, "network", "rm", "crash6");
        }
    }

    @Test
    void dockerCli_createsAndUsesADualStackNetwork() throws Exception {
        String p6 = freePrefix6();
        Cli.docker(daemon, "network", "create", "--ipv6", "--subnet", p6 + "::/64", "dnet6").assertOk();
        try {
            assertThat(Cli.docker(daemon, "network", "inspect", "dnet6", "--format", "{{.EnableIPv6}}").out())
                    .isEqualTo("true");
            Cli.docker(daemon, "run", "-d", "--name", "d61", "--network", "dnet6", "busybox", "sleep", "300")
                    .assertOk();
            Cli.docker(daemon, "run", "-d", "--name", "d62", "--network", "dnet6", "--ip6", p6 + "::62", "busybox",
                    "sleep", "300").assertOk();
            assertThat(Cli.docker(daemon, "inspect", "d61", "--format",
                    "{{.NetworkSettings.Networks.dnet6.GlobalIPv6Address}}").out()).isEqualTo(p6 + "::2");
            Cli.docker(daemon, "exec", "d61", "ping", "-6", "-c", "1", "-W", "3", p6 + "::62").assertOk();
            Cli.docker(daemon, "rm", "-f", "d61", "d62").assertOk();
            Cli.docker(daemon, "network", "rm", "dnet6").assertOk();
        } finally {
            Cli.berth(daemon, "rm", "-f", "d61", "d62");
            Cli.berth(daemon, "network", "rm", "dnet6");
        }
    }
}
