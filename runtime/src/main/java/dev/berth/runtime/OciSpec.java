package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.linux.IdMap;
import dev.berth.runtime.ContainerSpec.BindMount;
import dev.berth.runtime.ContainerSpec.NetworkMode;
import dev.berth.runtime.ContainerSpec.Rlimit;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes an OCI runtime {@code config.json} for a {@link ContainerSpec}, with the defaults Docker uses (moby
 * {@code oci/defaults.go} and {@code daemon/oci_linux.go}): the default capability set, masked and read-only /proc and /sys
 * paths, the standard /proc /dev /dev/pts /sys /sys/fs/cgroup /dev/mqueue /dev/shm mounts, the default device cgroup rules,
 * and new pid, mount, uts, ipc and cgroup namespaces.
 *
 * <p>No seccomp profile is written: containers run without a syscall filter, unlike Docker's default profile.
 * No AppArmor or SELinux label is set either.
 */
public final class OciSpec {
    /** Docker's default capabilities (moby oci/caps/defaults.go). */
    public static final List<String> DEFAULT_CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
            "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Every capability Linux defines up to 6.x, for {@code --privileged} and {@code --cap-add ALL}. */
    public static final List<String> ALL_CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
            "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
            "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    public static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
            "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Docker's default /dev/shm size, 64 MiB. */
    public static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;

    private static final long CPU_PERIOD_MICROS = 100_000;
    private static final long BOUNDING_SET = readBoundingSet();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OciSpec() {}

    /** Writes {@code bundleDir/config.json} atomically, clamping rlimits to this process's own hard limits. */
    public static Path write(ContainerSpec spec, Path bundleDir) throws IOException {
        return write(spec, NamespaceOptions.DEFAULT, bundleDir);
    }

    /** As {@link #write(ContainerSpec, Path)}, with the host's namespaces shared or a user namespace as {@code ns} says. */
    public static Path write(ContainerSpec spec, NamespaceOptions ns, Path bundleDir) throws IOException {
        Files.createDirectories(bundleDir);
        Path target = bundleDir.resolve("config.json");
        Path temp = bundleDir.resolve("config.json.tmp");
        ObjectNode json = toJson(spec, HostLimits.current());
        namespaces(json, ns);
        Files.write(temp, JSON.writeValueAsBytes(json));
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** The config as a JSON tree, rlimits clamped to {@code host}. */
    public static ObjectNode toJson(ContainerSpec spec, HostLimits host) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ociVersion", "1.0.2-dev");
        root.set("process", process(spec, host));
        ObjectNode rootfs = root.putObject("root");
        rootfs.put("path", spec.rootfs().toString());
        rootfs.put("readonly", spec.readonlyRootfs());
        root.put("hostname", spec.hostname());
        root.set("mounts", mounts(spec));
        root.set("linux", linux(spec));
        return root;
    }

    private static ObjectNode process(ContainerSpec spec, HostLimits host) {
        ObjectNode process = JSON.createObjectNode();
        process.put("terminal", spec.terminal());
        ObjectNode user = process.putObject("user");
        user.put("uid", spec.user().uid());
        user.put("gid", spec.user().gid());
        if (!spec.user().additionalGids().isEmpty()) {
            ArrayNode gids = user.putArray("additionalGids");
            spec.user().additionalGids().forEach(gids::add);
        }
        ArrayNode args = process.putArray("args");
        spec.args().forEach(args::add);
        ArrayNode env = process.putArray("env");
        environment(spec).forEach(env::add);
        process.put("cwd", spec.cwd());
        List<String> caps = capabilities(spec);
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode list = capabilities.putArray(set);
            caps.forEach(list::add);
        }
        ArrayNode rlimits = process.putArray("rlimits");
        for (Rlimit limit : spec.rlimits()) {
            long hard = host.hardLimit(limit.name())
                    .filter(max -> Long.compareUnsigned(limit.hard(), max) > 0)
                    .orElse(limit.hard());
            long soft = Long.compareUnsigned(limit.soft(), hard) > 0 ? hard : limit.soft();
            ObjectNode entry = rlimits.addObject();
            entry.put("type", "RLIMIT_" + limit.name().toUpperCase(Locale.ROOT));
            entry.put("hard", new BigInteger(Long.toUnsignedString(hard)));
            entry.put("soft", new BigInteger(Long.toUnsignedString(soft)));
        }
        process.put("noNewPrivileges", false);
        process.put("oomScoreAdj", 0);
        return process;
    }

    /** The image's environment plus what Docker's daemon adds when missing: PATH, HOSTNAME and, with a terminal, TERM. */
    static List<String> environment(ContainerSpec spec) {
        List<String> env = new ArrayList<>();
        if (spec.env().stream().noneMatch(e -> e.startsWith("PATH="))) {
            env.add(DEFAULT_PATH);
        }
        if (spec.env().stream().noneMatch(e -> e.startsWith("HOSTNAME="))) {
            env.add("HOSTNAME=" + spec.hostname());
        }
        if (spec.terminal() && spec.env().stream().noneMatch(e -> e.startsWith("TERM="))) {
            env.add("TERM=xterm");
        }
        env.addAll(spec.env());
        return env;
    }

    /** Docker's rule (moby oci/caps TweakCapabilities): start from the defaults (or all when privileged), add, then drop. */
    static List<String> capabilities(ContainerSpec spec) {
        if (spec.privileged()) {
            return ALL_CAPABILITIES.stream().filter(OciSpec::inBoundingSet).toList();
        }
        Set<String> add = normalize(spec.capAdd());
        Set<String> drop = normalize(spec.capDrop());
        Set<String> result = new LinkedHashSet<>(add.contains("ALL")
                ? ALL_CAPABILITIES.stream().filter(OciSpec::inBoundingSet).toList() : DEFAULT_CAPABILITIES);
        add.stream().filter(c -> !c.equals("ALL")).forEach(result::add);
        if (drop.contains("ALL")) {
            result.clear();
            add.stream().filter(c -> !c.equals("ALL")).forEach(result::add);
        } else {
            result.removeAll(drop);
        }
        return List.copyOf(result);
    }

    /**
     * Whether this process may hand out {@code cap}: "all capabilities" means all the daemon has, as Podman reads
     * them, since asking runc for one outside its bounding set fails the start (some hosts drop CAP_SYS_RESOURCE).
     */
    private static boolean inBoundingSet(String cap) {
        return (BOUNDING_SET >>> ALL_CAPABILITIES.indexOf(cap) & 1) != 0; // the list is in capability number order
    }

    private static long readBoundingSet() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapBnd:"))
                    .map(l -> Long.parseUnsignedLong(l.substring(7).strip(), 16)).findFirst().orElse(-1L);
        } catch (IOException e) {
            return -1L; // unknown: ask for everything, and let the runtime say what it cannot give
        }
    }

    private static Set<String> normalize(Set<String> caps) {
        Set<String> result = new LinkedHashSet<>();
        for (String cap : caps) {
            String upper = cap.toUpperCase(Locale.ROOT);
            String name = upper.equals("ALL") || upper.startsWith("CAP_") ? upper : "CAP_" + upper;
            if (!name.equals("ALL") && !ALL_CAPABILITIES.contains(name)) {
                throw new IllegalArgumentException("unknown capability: \"" + cap + "\"");
            }
            result.add(name);
        }
        return result;
    }

    private static ArrayNode mounts(ContainerSpec spec) {
        long shmSize = spec.shmSizeBytes() == 0 ? DEFAULT_SHM_SIZE : spec.shmSizeBytes();
        String sysMode = spec.privileged() ? "rw" : "ro";
        List<ObjectNode> defaults = List.of(
                mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
                mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
                mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
                mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", sysMode),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", sysMode),
                mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
                mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=" + shmSize));
        Set<String> userDestinations = new HashSet<>();
        spec.mounts().forEach(m -> userDestinations.add(m.destination()));
        ArrayNode mounts = JSON.createArrayNode();
        defaults.stream().filter(m -> !userDestinations.contains(m.get("destination").asText())).forEach(mounts::add);
        for (ContainerSpec.Mount m : spec.mounts()) {
            switch (m) {
                case BindMount bind -> mounts.add(mount(bind.destination(), "bind", bind.source().toString(), "rbind",
                        bind.propagation(), bind.readOnly() ? "ro" : "rw"));
                case ContainerSpec.TmpfsMount tmpfs -> {
                    List<String> options = new ArrayList<>(List.of("noexec", "nosuid", "nodev", "rprivate"));
                    for (String o : tmpfs.data().split(",")) {
                        if (!o.isEmpty()) {
                            options.remove(o.equals("exec") ? "noexec" : o.equals("suid") ? "nosuid" : o.equals("dev") ? "nodev" : "");
                            options.add(o);
                        }
                    }
                    mounts.add(mount(tmpfs.destination(), "tmpfs", "tmpfs", options.toArray(String[]::new)));
                }
            }
        }
        return mounts;
    }

    private static ObjectNode mount(String destination, String type, String source, String... options) {
        ObjectNode mount = JSON.createObjectNode();
        mount.put("destination", destination);
        mount.put("type", type);
        mount.put("source", source);
        ArrayNode list = mount.putArray("options");
        for (String option : options) {
            list.add(option);
        }
        return mount;
    }

    private static ObjectNode linux(ContainerSpec spec) {
        ObjectNode linux = JSON.createObjectNode();
        if (!spec.sysctls().isEmpty()) {
            ObjectNode sysctl = linux.putObject("sysctl");
            new TreeMap<>(spec.sysctls()).forEach(sysctl::put);
        }
        linux.set("resources", resources(spec));
        linux.put("cgroupsPath", spec.cgroupPath());
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "mount", "uts", "ipc", "cgroup")) {
            namespaces.addObject().put("type", type);
        }
        switch (spec.network()) {
            case NetworkMode.New n -> namespaces.addObject().put("type", "network");
            case NetworkMode.Existing e -> namespaces.addObject().put("type", "network").put("path", e.path().toString());
            case NetworkMode.Host h -> { } // no network entry: the container stays in the runtime's (the host's) namespace
        }
        if (!spec.privileged()) {
            ArrayNode masked = linux.putArray("maskedPaths");
            MASKED_PATHS.forEach(masked::add);
            ArrayNode readonly = linux.putArray("readonlyPaths");
            READONLY_PATHS.forEach(readonly::add);
        }
        return linux;
    }

    /**
     * Leaves out the namespaces shared with the host (and the hostname, which only a new uts namespace may have), and
     * adds a user namespace. runc then bind-mounts the device nodes it may not create; and since a user namespace may
     * mount sysfs only with a network namespace of its own, where Berth makes the network namespace before the
     * container, {@code /sys} is the host's, bound read-only, as rootless Podman does.
     */
    static void namespaces(ObjectNode json, NamespaceOptions ns) {
        ObjectNode linux = (ObjectNode) json.get("linux");
        ArrayNode list = (ArrayNode) linux.get("namespaces");
        for (int i = list.size() - 1; i >= 0; i--) {
            String type = list.get(i).path("type").asText();
            if (type.equals("pid") && ns.hostPid() || type.equals("ipc") && ns.hostIpc() || type.equals("uts") && ns.hostUts()) {
                list.remove(i);
            }
        }
        if (ns.hostUts()) {
            json.remove("hostname");
        }
        if (ns.noNewPrivileges()) {
            ((ObjectNode) json.get("process")).put("noNewPrivileges", true);
        }
        if (ns.userns() != null) {
            for (JsonNode mount : json.get("mounts")) {
                if (mount.path("destination").asText().equals("/sys")) {
                    ((ObjectNode) mount).put("type", "bind").put("source", "/sys").putArray("options")
                            .add("rbind").add("nosuid").add("noexec").add("nodev").add("ro");
                }
            }
            ObjectNode user = list.addObject().put("type", "user");
            if (ns.usernsPath() != null) {
                user.put("path", ns.usernsPath().toString());
            }
            idMappings(linux.putArray("uidMappings"), ns.userns().uids());
            idMappings(linux.putArray("gidMappings"), ns.userns().gids());
        }
    }

    private static void idMappings(ArrayNode list, List<IdMap.Range> ranges) {
        for (IdMap.Range r : ranges) {
            list.addObject().put("containerID", r.containerId()).put("hostID", r.hostId()).put("size", r.size());
        }
    }

    private static ObjectNode resources(ContainerSpec spec) {
        ObjectNode resources = JSON.createObjectNode();
        ArrayNode devices = resources.putArray("devices");
        if (spec.privileged()) {
            devices.addObject().put("allow", true).put("access", "rwm");
        } else {
            devices.addObject().put("allow", false).put("access", "rwm");
            // moby's DefaultLinuxSpec: mknod of anything, and use of the standard character devices, the ptys and tun.
            device(devices, "c", -1, -1, "m");
            device(devices, "b", -1, -1, "m");
            device(devices, "c", 1, 3, "rwm");
            device(devices, "c", 1, 8, "rwm");
            device(devices, "c", 1, 7, "rwm");
            device(devices, "c", 5, 0, "rwm");
            device(devices, "c", 1, 5, "rwm");
            device(devices, "c", 1, 9, "rwm");
            device(devices, "c", 136, -1, "rwm");
            device(devices, "c", 5, 2, "rwm");
            device(devices, "c", 10, 200, "rwm");
        }
        ContainerSpec.Resources limits = spec.resources();
        if (limits.memoryBytes() > 0) {
            resources.putObject("memory").put("limit", limits.memoryBytes());
        }
        if (limits.nanoCpus() > 0) {
            resources.putObject("cpu")
                    .put("quota", limits.nanoCpus() * CPU_PERIOD_MICROS / 1_000_000_000L)
                    .put("period", CPU_PERIOD_MICROS);
        }
        if (limits.pidsLimit() > 0) {
            resources.putObject("pids").put("limit", limits.pidsLimit());
        }
        return resources;
    }

    private static void device(ArrayNode devices, String type, long major, long minor, String access) {
        ObjectNode rule = devices.addObject();
        rule.put("allow", true);
        rule.put("type", type);
        if (major >= 0) {
            rule.put("major", major);
        }
        if (minor >= 0) {
            rule.put("minor", minor);
        }
        rule.put("access", access);
    }
}
