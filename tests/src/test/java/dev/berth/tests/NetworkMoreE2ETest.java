package dev.berth.tests;

import static dev.berth.tests.NetworkE2ETest.freeSubnet;
import static dev.berth.tests.NetworkE2ETest.httpGet;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * More networking with real netavark and aardvark-dns, as Docker does it: port ranges, forced disconnects, internal
 * networks, sharing another container's network, aliases and reverse DNS. Needs root, iptables and netavark.
 */
class NetworkMoreE2ETest extends BusyboxDaemonTest {
    /** {@code count} consecutive ports free on the host, starting at the returned one. */
    static int freeRange(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20000, 40000);
            boolean free = true;
            for (int p = first; p < first + count && free; p++) {
                try (ServerSocket s = new ServerSocket(p)) {
                    free = s.getLocalPort() == p;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new AssertionError("no " + count + " consecutive free ports");
    }

    static String id(String container) {
        return Cli.berth(daemon, "inspect", container, "--format", "{{.Id}}").assertOk().out();
    }

    static String ipOn(String container, String network) {
        return Cli.berth(daemon, "inspect", container, "--format",
                "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}").assertOk().out();
    }

    /** busybox nslookup, retried a few times: aardvark-dns reloads its names a moment after netavark wrote them. */
    static String nslookup(String from, String query) throws InterruptedException {
        Cli.Result r = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            r = Cli.berth(daemon, "exec", from, "nslookup", query);
            if (r.exitCode() == 0 && !r.stdout().contains("NXDOMAIN")) {
                return r.stdout();
            }
            Thread.sleep(500);
        }
        return r.assertOk().stdout();
    }

    @Test
    void portRanges_arePublishedAsDocker() throws Exception {
        int tcp = freeRange(3);
        int udp = freeRange(2);
        int same = freeRange(2);
        String www = "mkdir -p /www && echo range-$(hostname) > /www/index.html && httpd -p 80 -h /www"
                + " && httpd -p 81 -h /www && exec httpd -f -p 82 -h /www";
        Cli.berth(daemon, "run", "-d", "--name", "pr", "-p", tcp + "-" + (tcp + 2) + ":80-82",
                "-p", "127.0.0.1:" + udp + "-" + (udp + 1) + ":90-91/udp",
                "-p", same + "-" + (same + 1) + ":" + same + "-" + (same + 1),
                "--expose", "7000-7002", "busybox", "sh", "-c", www).assertOk();
        try {
            assertThat(httpGet(tcp)).startsWith("range-");
            assertThat(httpGet(tcp + 2)).startsWith("range-");
            // docker ps compacts runs published on their own number; other mappings are listed one by one
            String ports = Cli.berth(daemon, "ps", "--filter", "name=pr", "--format", "{{.Ports}}").out();
            assertThat(ports).isEqualTo(Cli.docker(daemon, "ps", "--filter", "name=pr", "--format", "{{.Ports}}").out());
            if (!NetworkE2ETest.HOST_IPV6) {
                assertThat(ports).isEqualTo(
                    "7000-7002/tcp, 0.0.0.0:" + same + "-" + (same + 1) + "->" + same + "-" + (same + 1) + "/tcp, "
                            + "0.0.0.0:" + tcp + "->80/tcp, 0.0.0.0:" + (tcp + 1) + "->81/tcp, 0.0.0.0:" + (tcp + 2)
                            + "->82/tcp, 127.0.0.1:" + udp + "->90/udp, 127.0.0.1:" + (udp + 1) + "->91/udp");
            } else {
                assertThat(ports).contains("7000-7002/tcp", "0.0.0.0:" + same + "-" + (same + 1) + "->" + same + "-"
                        + (same + 1) + "/tcp", "[::]:" + same + "-" + (same + 1) + "->" + same + "-" + (same + 1)
                        + "/tcp", "0.0.0.0:" + tcp + "->80/tcp", "[::]:" + (tcp + 2) + "->82/tcp",
                        "127.0.0.1:" + udp + "->90/udp").doesNotContain("[::]:" + udp);
            }
            assertThat(Cli.berth(daemon, "port", "pr").stdout().lines().toList()).contains(
                    "80/tcp -> 0.0.0.0:" + tcp, "82/tcp -> 0.0.0.0:" + (tcp + 2), "91/udp -> 127.0.0.1:" + (udp + 1));
            assertThat(Cli.berth(daemon, "port", "pr", "81").out())
                    .isEqualTo("0.0.0.0:" + (tcp + 1) + NetworkE2ETest.v6("\n[::]:" + (tcp + 1)));
            assertThat(Cli.berth(daemon, "inspect", "pr", "--format", "{{ .NetworkSettings.Ports }}").out())
                    .contains("81/tcp:[{0.0.0.0 " + (tcp + 1) + "}", "90/udp:[{127.0.0.1 " + udp + "}]");
            assertThat(Cli.berth(daemon, "inspect", "pr", "--format", "{{json .NetworkSettings.Ports}}").out())
                    .contains("\"7001/tcp\":null");
            assertThat(Cli.berth(daemon, "inspect", "pr", "--format", "{{json .Config.ExposedPorts}}").out())
                    .contains("\"7000/tcp\":{}", "\"7002/tcp\":{}", "\"82/tcp\":{}", "\"91/udp\":{}");
        } finally {
            Cli.berth(daemon, "rm", "-f", "pr");
        }
    }

    @Test
    void aHostRangeForOnePort_takesItsFirstFreePort() throws Exception {
        int first = freeRange(11);
        try (ServerSocket held = new ServerSocket(first)) {
            Cli.berth(daemon, "run", "-d", "--name", "hr1", "-p", first + "-" + (first + 10) + ":80", "busybox",
                    "sleep", "300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "hr2", "-p", first + "-" + (first + 10) + ":80", "busybox",
                    "sleep", "300").assertOk();
            assertThat(held.getLocalPort()).isEqualTo(first); // taken on the host: skipped
            assertThat(Cli.berth(daemon, "port", "hr1", "80").stdout().lines().findFirst())
                    .hasValue("0.0.0.0:" + (first + 1));
            assertThat(Cli.berth(daemon, "port", "hr2", "80").stdout().lines().findFirst())
                    .hasValue("0.0.0.0:" + (first + 2));
            assertThat(Cli.berth(daemon, "inspect", "hr1", "--format", "{{json .HostConfig.PortBindings}}").out())
                    .isEqualTo("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"" + first + "-" + (first + 10)
                            + "\"}]}");
        } finally {
            Cli.berth(daemon, "rm", "-f", "hr1", "hr2");
        }
    }

    @Test
    void mismatchedRanges_areRefusedAndLeaveNothing() {
        long before = Cli.berth(daemon, "ps", "-aq").stdout().lines().count();
        Cli.Result r = Cli.berth(daemon, "run", "-d", "--name", "mis", "-p", "8000-8002:80-81", "busybox", "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("invalid ranges specified for container and host Ports: 80-81 and 8000-8002");
        Cli.Result expose = Cli.berth(daemon, "run", "-d", "--expose", "7002-7000", "busybox", "true");
        assertThat(expose.exitCode()).isEqualTo(125);
        assertThat(expose.stderr()).contains("invalid range format for --expose: 7002-7000");
        assertThat(Cli.berth(daemon, "ps", "-aq").stdout().lines().count()).isEqualTo(before);
    }

    @Test
    void disconnect_inDockersWords_andForced() throws Exception {
        Cli.berth(daemon, "network", "create", "--subnet", freeSubnet(), "dnet").assertOk();
        try {
            Cli.berth(daemon, "run", "-d", "--name", "dc1", "--network", "dnet", "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "dc2", "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "create", "--name", "dc3", "--network", "dnet", "busybox", "true").assertOk();
            Cli.berth(daemon, "create", "--name", "dc4", "busybox", "true").assertOk();

            Cli.Result running = Cli.berth(daemon, "network", "disconnect", "dnet", "dc2");
            assertThat(running.exitCode()).isEqualTo(1);
            assertThat(running.stderr()).contains("container " + id("dc2") + " is not connected to network dnet");
            Cli.Result stopped = Cli.berth(daemon, "network", "disconnect", "dnet", "dc4");
            assertThat(stopped.exitCode()).isEqualTo(1);
            assertThat(stopped.stderr()).contains("container " + id("dc4") + " is not connected to the network dnet");
            assertThat(Cli.berth(daemon, "network", "disconnect", "dnet", "ghost").stderr())
                    .contains("No such container: ghost");
            Cli.Result ghost = Cli.berth(daemon, "network", "disconnect", "-f", "dnet", "ghost");
            assertThat(ghost.exitCode()).isEqualTo(1);
            assertThat(ghost.stderr()).contains("endpoint ghost not found");
            assertThat(Cli.berth(daemon, "network", "disconnect", "-f", "nonet", "dc1").stderr())
                    .contains("container " + id("dc1") + " is not connected to the network nonet");

            // a stopped container just leaves the network
            Cli.berth(daemon, "network", "disconnect", "-f", "dnet", "dc3").assertOk();
            assertThat(Cli.berth(daemon, "inspect", "dc3", "--format", "{{len .NetworkSettings.Networks}}").out())
                    .isEqualTo("0");
            // a running one loses its interface
            Cli.berth(daemon, "network", "disconnect", "--force", "dnet", "dc1").assertOk();
            assertThat(Cli.berth(daemon, "exec", "dc1", "ip", "-o", "link").stdout()).doesNotContain("eth0");
            assertThat(Cli.berth(daemon, "network", "inspect", "dnet", "--format", "{{json .Containers}}").out())
                    .isEqualTo("{}");
            Cli.berth(daemon, "network", "rm", "dnet").assertOk();
        } finally {
            Cli.berth(daemon, "rm", "-f", "dc1", "dc2", "dc3", "dc4");
            Cli.berth(daemon, "network", "rm", "dnet");
        }
    }

    @Test
    void internalNetwork_connectsItsContainers_butHasNoWayOut() throws Exception {
        String gateway = NetworkE2ETest.bridgeGateway();
        Cli.berth(daemon, "network", "create", "--internal", "--subnet", freeSubnet(), "inet").assertOk();
        try {
            assertThat(Cli.berth(daemon, "network", "inspect", "inet", "--format", "{{.Internal}}").out())
                    .isEqualTo("true");
            Cli.berth(daemon, "run", "-d", "--name", "in1", "--network", "inet", "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "in2", "--network", "inet", "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "exec", "in2", "ping", "-c", "1", "-W", "3", ipOn("in1", "inet")).assertOk();
            String routes = Cli.berth(daemon, "exec", "in1", "ip", "route").assertOk().stdout();
            assertThat(routes).doesNotContain("default").contains(ipOn("in1", "inet").replaceAll("\\.\\d+$", ".0/24"));
            // the default bridge's gateway is an address of this host: reachable from the bridge, not from inet
            Cli.berth(daemon, "run", "--rm", "busybox", "ping", "-c", "1", "-W", "3", gateway).assertOk();
            assertThat(Cli.berth(daemon, "exec", "in1", "ping", "-c", "1", "-W", "2", gateway).exitCode()).isNotZero();
            assertThat(Cli.berth(daemon, "exec", "in1", "wget", "-q", "-T", "2", "-O", "-", "http://" + gateway + ":1/")
                    .exitCode()).isNotZero();
        } finally {
            Cli.berth(daemon, "rm", "-f", "in1", "in2");
            Cli.berth(daemon, "network", "rm", "inet");
        }
    }

    @Test
    void containerNetworkMode_sharesTheOtherContainersInterfaces() throws Exception {
        Cli.berth(daemon, "network", "create", "--subnet", freeSubnet(), "cnet").assertOk();
        try {
            Cli.berth(daemon, "run", "-d", "--name", "cn1", "--network", "cnet", "busybox", "sh", "-c",
                    "mkdir -p /www && echo shared > /www/index.html && exec httpd -f -p 8080 -h /www").assertOk();
            String ip = ipOn("cn1", "cnet");
            Cli.berth(daemon, "run", "-d", "--name", "cn2", "--network", "container:cn1", "busybox", "sleep", "300")
                    .assertOk();
            assertThat(Cli.berth(daemon, "exec", "cn2", "ip", "-o", "-4", "addr", "show", "eth0").assertOk().out())
                    .contains("inet " + ip + "/24");
            assertThat(Cli.berth(daemon, "exec", "cn2", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/")
                    .assertOk().out()).isEqualTo("shared");
            assertThat(Cli.berth(daemon, "inspect", "cn2", "--format", "{{.HostConfig.NetworkMode}}").out())
                    .isEqualTo("container:" + id("cn1"));
        } finally {
            Cli.berth(daemon, "rm", "-f", "cn2", "cn1");
            Cli.berth(daemon, "network", "rm", "cnet");
        }
    }

    @Test
    void containerNetworkMode_usesTheOtherContainersHostnameAndFiles() throws Exception {
        Cli.berth(daemon, "network", "create", "--subnet", freeSubnet(), "cfnet").assertOk();
        try {
            Cli.berth(daemon, "run", "-d", "--name", "cf1", "--hostname", "first", "--add-host", "extra.test:10.9.8.7",
                    "--dns-search", "cf.test", "--network", "cfnet", "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "cf2", "--network", "container:cf1", "busybox", "sleep", "300")
                    .assertOk();
            assertThat(Cli.berth(daemon, "exec", "cf2", "hostname").assertOk().out()).isEqualTo("first");
            assertThat(Cli.berth(daemon, "exec", "cf2", "sh", "-c", "tr '\\0' '\\n' < /proc/1/environ").assertOk()
                    .stdout()).contains("HOSTNAME=first\n");
            assertThat(Cli.berth(daemon, "exec", "cf2", "sh", "-c", "echo $HOSTNAME").assertOk().out())
                    .isEqualTo("first");
            assertThat(Cli.berth(daemon, "inspect", "cf2", "--format", "{{.Config.Hostname}}").out()).isEqualTo("first");
            for (String file : List.of("/etc/hosts", "/etc/resolv.conf", "/etc/hostname")) {
                assertThat(Cli.berth(daemon, "exec", "cf2", "cat", file).assertOk().stdout())
                        .isEqualTo(Cli.berth(daemon, "exec", "cf1", "cat", file).assertOk().stdout());
            }
            assertThat(Cli.berth(daemon, "exec", "cf2", "cat", "/etc/hosts").out())
                    .contains("10.9.8.7\textra.test\n").endsWith(ipOn("cf1", "cfnet") + "\tfirst");
            assertThat(Cli.berth(daemon, "exec", "cf2", "cat", "/etc/resolv.conf").out()).contains("search cf.test");
        } finally {
            Cli.berth(daemon, "rm", "-f", "cf2", "cf1");
            Cli.berth(daemon, "network", "rm", "cfnet");
        }
    }

    @Test
    void containerNetworkMode_refusesWhatTheOtherContainerDecides_andCreatesNothing() {
        Cli.berth(daemon, "run", "-d", "--name", "cr1", "busybox", "sleep", "300").assertOk();
        try {
            long before = Cli.berth(daemon, "ps", "-aq").stdout().lines().count();
            List<List<String>> flags = List.of(List.of("--hostname", "h"), List.of("--dns", "10.0.0.1"),
                    List.of("--add-host", "a.test:10.0.0.2"), List.of("-p", "8080:80"), List.of("-P"),
                    List.of("--expose", "80"), List.of("--mac-address", "02:42:ac:11:00:99"));
            List<String> messages = List.of("hostname and the network mode", "dns and the network mode",
                    "custom host-to-IP mapping and the network mode",
                    "port publishing and the container type network mode",
                    "port publishing and the container type network mode",
                    "port exposing and the container type network mode", "mac-address and the network mode");
            for (int i = 0; i < flags.size(); i++) {
                List<String> args = new ArrayList<>(List.of("run", "-d", "--network", "container:cr1"));
                args.addAll(flags.get(i));
                args.addAll(List.of("busybox", "true"));
                Cli.Result r = Cli.berth(daemon, args.toArray(String[]::new));
                assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(125);
                assertThat(r.stderr()).as(String.join(" ", args))
                        .contains("Error response from daemon: conflicting options: " + messages.get(i));
            }
            assertThat(Cli.berth(daemon, "ps", "-aq").stdout().lines().count()).isEqualTo(before);
        } finally {
            Cli.berth(daemon, "rm", "-f", "cr1");
        }
    }

    @Test
    void dualStackNetwork_hostsFileNamesBothAddresses_asDocker28() throws Exception {
        String p6 = NetworkIpv6E2ETest.freePrefix6();
        Cli.berth(daemon, "network", "create", "--ipv6", "--subnet", p6 + "::/64", "--subnet", freeSubnet(), "hv6")
                .assertOk();
        try {
            Cli.berth(daemon, "run", "-d", "--name", "h6", "--hostname", "six", "--network", "hv6", "busybox",
                    "sleep", "300").assertOk();
            String ip6 = Cli.berth(daemon, "inspect", "h6", "--format",
                    "{{(index .NetworkSettings.Networks \"hv6\").GlobalIPv6Address}}").assertOk().out();
            assertThat(ip6).startsWith(p6 + "::");
            assertThat(Cli.berth(daemon, "exec", "h6", "cat", "/etc/hosts").assertOk().stdout()).isEqualTo(
                    "127.0.0.1\tlocalhost\n"
                            + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                            + "fe00::\tip6-localnet\n"
                            + "ff00::\tip6-mcastprefix\n"
                            + "ff02::1\tip6-allnodes\n"
                            + "ff02::2\tip6-allrouters\n"
                            + ipOn("h6", "hv6") + "\tsix\n"
                            + ip6 + "\tsix\n");
        } finally {
            Cli.berth(daemon, "rm", "-f", "h6");
            Cli.berth(daemon, "network", "rm", "hv6");
        }
    }

    @Test
    void aliases_serviceNames_andConnectAlias_resolve() throws Exception {
        Cli.berth(daemon, "network", "create", "--subnet", freeSubnet(), "proj_default").assertOk();
        try {
            // as compose names them: the service name as an alias of PROJECT-SERVICE-N
            Cli.berth(daemon, "run", "-d", "--name", "proj-db-1", "--network", "proj_default", "--network-alias", "db",
                    "--network-alias", "database", "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "proj-web-1", "--network", "proj_default", "--network-alias",
                    "web", "busybox", "sleep", "300").assertOk();
            String db = ipOn("proj-db-1", "proj_default");
            assertThat(nslookup("proj-web-1", "db")).contains("Address: " + db);
            assertThat(nslookup("proj-web-1", "database")).contains("Address: " + db);
            assertThat(nslookup("proj-web-1", "proj-db-1")).contains("Address: " + db);
            Cli.berth(daemon, "exec", "proj-db-1", "ping", "-c", "1", "-W", "3", "web").assertOk();
            assertThat(Cli.berth(daemon, "inspect", "proj-db-1", "--format",
                    "{{json (index .NetworkSettings.Networks \"proj_default\").Aliases}}").out())
                    .contains("\"db\"", "\"database\"");

            Cli.berth(daemon, "network", "create", "--subnet", freeSubnet(), "proj_back").assertOk();
            Cli.berth(daemon, "network", "connect", "--alias", "cache", "proj_back", "proj-db-1").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "proj-worker-1", "--network", "proj_back", "busybox", "sleep",
                    "300").assertOk();
            assertThat(nslookup("proj-worker-1", "cache")).contains("Address: " + ipOn("proj-db-1", "proj_back"));
            // an alias is scoped to its network
            assertThat(Cli.berth(daemon, "exec", "proj-worker-1", "nslookup", "db").stdout())
                    .doesNotContain("Address: " + db);
        } finally {
            Cli.berth(daemon, "rm", "-f", "proj-db-1", "proj-web-1", "proj-worker-1");
            Cli.berth(daemon, "network", "rm", "proj_default", "proj_back");
        }
    }

    @Test
    void reverseLookup_answersNameDotNetwork_andForwardNamesStillResolve() throws Exception {
        Cli.berth(daemon, "network", "create", "--subnet", freeSubnet(), "monreseau0").assertOk();
        try {
            Cli.berth(daemon, "run", "-d", "--name", "c1", "--network", "monreseau0", "--network-alias", "first",
                    "busybox", "sleep", "300").assertOk();
            Cli.berth(daemon, "run", "-d", "--name", "c2", "--network", "monreseau0", "busybox", "sleep", "300")
                    .assertOk();
            String ip = ipOn("c1", "monreseau0");
            List<String> names = new ArrayList<>();
            nslookup("c2", ip).lines().filter(l -> l.contains("name = ")).forEach(l -> names.add(
                    l.substring(l.indexOf("name = ") + 7).strip()));
            // the first answer is the one a resolver (getnameinfo: ping, ss) shows
            assertThat(names).isNotEmpty();
            assertThat(names.getFirst()).isEqualTo("c1.monreseau0");
            for (String name : List.of("c1.monreseau0", "c1", "first", id("c1").substring(0, 12))) {
                assertThat(nslookup("c2", name)).as(name).contains("Address: " + ip);
            }
            assertThat(Cli.berth(daemon, "run", "--rm", "--network", "monreseau0", "busybox", "nslookup", ip)
                    .assertOk().stdout()).contains("name = c1.monreseau0");
        } finally {
            Cli.berth(daemon, "rm", "-f", "c1", "c2");
            Cli.berth(daemon, "network", "rm", "monreseau0");
        }
    }
}
