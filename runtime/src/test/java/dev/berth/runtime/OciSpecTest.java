package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.runtime.ContainerSpec.BindMount;
import dev.berth.runtime.ContainerSpec.NetworkMode;
import dev.berth.runtime.ContainerSpec.ProcessUser;
import dev.berth.runtime.ContainerSpec.Resources;
import dev.berth.runtime.ContainerSpec.Rlimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final HostLimits HOST = new HostLimits(Map.of("nofile", 20000L, "nproc", -1L));

    private static ContainerSpec base() {
        return ContainerSpec.of(ID, Path.of("/var/lib/berth/containers/x/merged"), List.of("sh", "-c", "echo hi"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    @Test
    void defaults_matchDocker() {
        JsonNode json = OciSpec.toJson(base(), HOST);

        assertThat(json.at("/root/path").asText()).isEqualTo("/var/lib/berth/containers/x/merged");
        assertThat(json.at("/root/readonly").asBoolean()).isFalse();
        assertThat(json.at("/hostname").asText()).isEqualTo("0123456789ab");
        assertThat(texts(json.at("/process/args"))).containsExactly("sh", "-c", "echo hi");
        assertThat(texts(json.at("/process/env"))).containsExactly(OciSpec.DEFAULT_PATH, "HOSTNAME=0123456789ab");
        assertThat(json.at("/process/cwd").asText()).isEqualTo("/");
        assertThat(json.at("/process/user/uid").asInt()).isZero();
        assertThat(json.at("/process/terminal").asBoolean()).isFalse();
        for (String set : List.of("bounding", "effective", "permitted")) {
            assertThat(texts(json.at("/process/capabilities/" + set))).containsExactlyInAnyOrder(
                    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
                    "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
                    "CAP_AUDIT_WRITE");
        }
        assertThat(texts(json.at("/linux/maskedPaths"))).contains("/proc/kcore", "/sys/firmware", "/sys/devices/virtual/powercap")
                .hasSize(11);
        assertThat(texts(json.at("/linux/readonlyPaths"))).containsExactly(
                "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        List<String> namespaces = new ArrayList<>();
        json.at("/linux/namespaces").forEach(n -> namespaces.add(n.get("type").asText()));
        assertThat(namespaces).containsExactly("pid", "mount", "uts", "ipc", "cgroup", "network");
        assertThat(json.at("/linux/cgroupsPath").asText()).isEqualTo("/berth/" + ID);
        assertThat(json.at("/linux/seccomp").isMissingNode()).isTrue();
        assertThat(json.at("/linux/resources/devices/0/allow").asBoolean()).isFalse();

        List<String> destinations = new ArrayList<>();
        json.at("/mounts").forEach(m -> destinations.add(m.get("destination").asText()));
        assertThat(destinations).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm");
        assertThat(texts(json.at("/mounts/3/options"))).contains("ro");
        assertThat(texts(json.at("/mounts/6/options"))).contains("size=67108864");
    }

    @Test
    void bindMounts_replaceADefaultAtTheSameDestination() {
        ContainerSpec spec = base().withMounts(List.of(
                new BindMount(Path.of("/var/lib/berth/containers/x/hosts"), "/etc/hosts", false),
                new BindMount(Path.of("/srv/shm"), "/dev/shm", true)));

        JsonNode json = OciSpec.toJson(spec, HOST);

        List<String> destinations = new ArrayList<>();
        json.at("/mounts").forEach(m -> destinations.add(m.get("destination").asText()));
        assertThat(destinations).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/etc/hosts",
                "/dev/shm");
        assertThat(json.at("/mounts/6/type").asText()).isEqualTo("bind");
        assertThat(texts(json.at("/mounts/6/options"))).containsExactly("rbind", "rprivate", "rw");
        assertThat(texts(json.at("/mounts/7/options"))).containsExactly("rbind", "rprivate", "ro");
    }

    @Test
    void rlimits_areClampedToTheDaemonsHardLimit() {
        ContainerSpec spec = base().withLimits(Resources.UNLIMITED, 0,
                List.of(new Rlimit("nofile", 1048576, 1048576), new Rlimit("nproc", 100, 200), new Rlimit("core", -1, -1)), Map.of());

        JsonNode json = OciSpec.toJson(spec, HOST);

        assertThat(json.at("/process/rlimits/0/type").asText()).isEqualTo("RLIMIT_NOFILE");
        assertThat(json.at("/process/rlimits/0/hard").asLong()).isEqualTo(20000);
        assertThat(json.at("/process/rlimits/0/soft").asLong()).isEqualTo(20000);
        assertThat(json.at("/process/rlimits/1/hard").asLong()).isEqualTo(200);
        assertThat(json.at("/process/rlimits/1/soft").asLong()).isEqualTo(100);
        assertThat(json.at("/process/rlimits/2/hard").bigIntegerValue().toString()).isEqualTo("18446744073709551615");
    }

    @Test
    void resources_translateNanoCpusToQuotaAndPeriod() {
        ContainerSpec spec = base().withLimits(new Resources(64 * 1024 * 1024, 1_500_000_000L, 50), 128 * 1024 * 1024,
                List.of(), Map.of("net.ipv4.ip_forward", "1"));

        JsonNode json = OciSpec.toJson(spec, HOST);

        assertThat(json.at("/linux/resources/memory/limit").asLong()).isEqualTo(64 * 1024 * 1024);
        assertThat(json.at("/linux/resources/cpu/quota").asLong()).isEqualTo(150_000);
        assertThat(json.at("/linux/resources/cpu/period").asLong()).isEqualTo(100_000);
        assertThat(json.at("/linux/resources/pids/limit").asLong()).isEqualTo(50);
        assertThat(json.at("/linux/sysctl/net.ipv4.ip_forward").asText()).isEqualTo("1");
        assertThat(texts(json.at("/mounts/6/options"))).contains("size=134217728");
    }

    @Test
    void capabilities_addAndDropLikeDocker() {
        ContainerSpec spec = base().withSecurity(false, Set.of("net_admin", "CAP_SYS_TIME"), Set.of("MKNOD", "cap_kill"), true);

        JsonNode json = OciSpec.toJson(spec, HOST);

        List<String> caps = texts(json.at("/process/capabilities/effective"));
        assertThat(caps).contains("CAP_NET_ADMIN", "CAP_SYS_TIME", "CAP_CHOWN").doesNotContain("CAP_MKNOD", "CAP_KILL");
        assertThat(json.at("/root/readonly").asBoolean()).isTrue();
        assertThat(OciSpec.capabilities(base().withSecurity(false, Set.of("CHOWN"), Set.of("ALL"), false)))
                .containsExactly("CAP_CHOWN");
        assertThatThrownBy(() -> OciSpec.capabilities(base().withSecurity(false, Set.of("BOGUS"), Set.of(), false)))
                .hasMessage("unknown capability: \"BOGUS\"");
    }

    @Test
    void privileged_getsAllCapabilitiesAndNoMaskedPaths() {
        JsonNode json = OciSpec.toJson(base().withSecurity(true, Set.of(), Set.of(), false), HOST);

        // all the capabilities this process has: hosts may drop some (these machines drop CAP_SYS_RESOURCE)
        assertThat(texts(json.at("/process/capabilities/bounding"))).contains("CAP_SYS_ADMIN", "CAP_NET_ADMIN")
                .isSubsetOf(OciSpec.ALL_CAPABILITIES).hasSizeGreaterThan(OciSpec.DEFAULT_CAPABILITIES.size());
        assertThat(json.at("/linux/maskedPaths").isMissingNode()).isTrue();
        assertThat(json.at("/linux/readonlyPaths").isMissingNode()).isTrue();
        assertThat(texts(json.at("/mounts/3/options"))).contains("rw");
        assertThat(json.at("/linux/resources/devices/0/allow").asBoolean()).isTrue();
    }

    @Test
    void network_hostLeavesNoNamespaceAndExistingJoinsThePath() {
        JsonNode host = OciSpec.toJson(base().withNetwork(new NetworkMode.Host()), HOST);
        JsonNode joined = OciSpec.toJson(base().withNetwork(new NetworkMode.Existing(Path.of("/run/netns/x"))), HOST);

        List<String> hostTypes = new ArrayList<>();
        host.at("/linux/namespaces").forEach(n -> hostTypes.add(n.get("type").asText()));
        assertThat(hostTypes).doesNotContain("network");
        assertThat(joined.at("/linux/namespaces/5/path").asText()).isEqualTo("/run/netns/x");
    }

    @Test
    void userAndTerminal_areWritten() {
        ContainerSpec spec = base().withUser(new ProcessUser(1000, 100, List.of(10, 20))).withTerminal(true, true)
                .withEnv(List.of("PATH=/bin", "A=b"));

        JsonNode json = OciSpec.toJson(spec, HOST);

        assertThat(json.at("/process/user/uid").asInt()).isEqualTo(1000);
        assertThat(json.at("/process/user/gid").asInt()).isEqualTo(100);
        assertThat(json.at("/process/user/additionalGids").toString()).isEqualTo("[10,20]");
        assertThat(json.at("/process/terminal").asBoolean()).isTrue();
        assertThat(texts(json.at("/process/env"))).containsExactly("HOSTNAME=0123456789ab", "TERM=xterm", "PATH=/bin", "A=b");
    }

    @Test
    void write_putsConfigJsonInTheBundle(@TempDir Path bundle) throws Exception {
        Path config = OciSpec.write(base(), bundle);

        assertThat(config).isEqualTo(bundle.resolve("config.json"));
        assertThat(new ObjectMapper().readTree(Files.readAllBytes(config)).at("/ociVersion").asText()).isEqualTo("1.0.2-dev");
        try (var files = Files.list(bundle)) {
            assertThat(files).containsExactly(config);
        }
    }

    @Test
    void hostLimits_parseProcSelfLimits() {
        HostLimits limits = HostLimits.parse(List.of(
                "Limit                     Soft Limit           Hard Limit           Units     ",
                "Max processes             96365                96365                processes ",
                "Max open files            1024                 20000                files     ",
                "Max core file size        0                    unlimited            bytes     "));

        assertThat(limits.hardLimit("nofile")).contains(20000L);
        assertThat(limits.hardLimit("nproc")).contains(96365L);
        assertThat(limits.hardLimit("core")).contains(-1L);
        assertThat(limits.hardLimit("rttime")).isEmpty();
    }
}
