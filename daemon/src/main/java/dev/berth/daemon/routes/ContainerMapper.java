package dev.berth.daemon.routes;

import dev.berth.api.types.ContainerConfig;
import dev.berth.api.types.ContainerInspect;
import dev.berth.api.types.ContainerState;
import dev.berth.api.types.ContainerSummary;
import dev.berth.api.types.GraphDriver;
import dev.berth.api.types.HealthState;
import dev.berth.api.types.HostConfig;
import dev.berth.api.types.LogConfig;
import dev.berth.api.types.NetworkSettings;
import dev.berth.api.types.RestartPolicy;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerSettings;
import dev.berth.engine.containers.Health;
import dev.berth.engine.containers.Healthcheck;
import dev.berth.engine.containers.Isolation;
import dev.berth.engine.containers.LogDrivers;
import dev.berth.engine.containers.RunState;
import dev.berth.engine.containers.Status;
import dev.berth.engine.networks.NetworkService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Translates between the Engine API's container types and the engine's. */
final class ContainerMapper {
    /** Paths Docker masks or makes read-only in every unprivileged container; inspect shows them. */
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS =
            List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private ContainerMapper() {}

    /** The engine's view of a create request; nulls mean "take the image's". */
    static ContainerSettings settings(ContainerConfig c, HostConfig h) {
        HostConfig host = h != null ? h : emptyHostConfig();
        RestartPolicy restart = host.restartPolicy();
        LogConfig log = host.logConfig();
        return new ContainerSettings(
                c.hostname(), c.domainname(), c.user(), c.attachStdin(), c.attachStdout(), c.attachStderr(), c.tty(),
                c.openStdin(), c.stdinOnce(), c.env(), c.cmd(), c.entrypoint(), c.workingDir(), c.labels(),
                keys(c.exposedPorts()), keys(c.volumes()), c.stopSignal(), c.stopTimeout(), host.networkMode(),
                host.autoRemove(), host.memory(), host.nanoCpus(), host.pidsLimit(), host.shmSize(), host.runtime(),
                restart == null ? null : restart.name(), restart == null ? 0 : restart.maximumRetryCount(),
                host.capAdd(), host.capDrop(), host.privileged(), host.readonlyRootfs(),
                log == null ? null : log.type(), log == null ? null : log.config(), host.init(), host.dns(),
                host.dnsSearch(), host.dnsOptions(), host.extraHosts(), host.groupAdd(), host.sysctls(),
                host.consoleSize(), healthcheck(c.healthcheck()),
                new Isolation(host.pidMode(), host.ipcMode(), host.utsMode(), host.usernsMode(), host.securityOpt()), null,
                MountMapper.settings(host));
    }

    /** The API's {@code Healthcheck} (durations in nanoseconds) in the engine's terms; null stays null. */
    static Healthcheck healthcheck(Map<String, Object> h) {
        if (h == null) {
            return null;
        }
        List<String> test = new ArrayList<>();
        if (h.get("Test") instanceof List<?> l) {
            l.forEach(x -> test.add(String.valueOf(x)));
        }
        return new Healthcheck(test, nanos(h.get("Interval")), nanos(h.get("Timeout")), nanos(h.get("StartPeriod")),
                nanos(h.get("StartInterval")), (int) nanos(h.get("Retries")));
    }

    private static long nanos(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** The engine's health check as the API shows it: zero values left out, as Go's omitempty does. */
    static Map<String, Object> healthcheck(Healthcheck h) {
        if (h == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (!h.test().isEmpty()) {
            m.put("Test", h.test());
        }
        for (Object[] field : new Object[][] {{"Interval", h.interval()}, {"Timeout", h.timeout()},
                {"StartPeriod", h.startPeriod()}, {"StartInterval", h.startInterval()}, {"Retries", (long) h.retries()}}) {
            if ((long) field[1] != 0) {
                m.put((String) field[0], field[1]);
            }
        }
        return m;
    }

    private static List<String> keys(Map<String, Object> m) {
        return m == null ? null : List.copyOf(m.keySet());
    }

    private static Map<String, Object> set(List<String> keys) {
        if (keys == null || keys.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new TreeMap<>();
        keys.forEach(k -> m.put(k, Map.of()));
        return m;
    }

    static ContainerConfig config(Container c) {
        ContainerSettings s = c.settings();
        return new ContainerConfig(s.hostname(), s.domainname(), s.user(), s.attachStdin(), s.attachStdout(),
                s.attachStderr(), set(s.exposedPorts()), s.tty(), s.openStdin(), s.stdinOnce(), s.env(), s.cmd(),
                healthcheck(s.healthcheck()), false, c.image(), set(s.volumes()), s.workingDir(), s.entrypoint(), false, null, null,
                s.labels() == null ? Map.of() : s.labels(), s.stopSignal(), s.stopTimeout(), null);
    }

    static HostConfig hostConfig(Container c) {
        ContainerSettings s = c.settings();
        boolean privileged = s.privileged();
        var mounts = s.mounts();
        return new HostConfig(mounts.binds().isEmpty() ? null : mounts.binds(), "", new LogConfig(s.logDriver(), s.logOptions() == null ? Map.of() : s.logOptions()),
                s.networkMode(), NetworkView.portBindings(c), new RestartPolicy(s.restartPolicy(), s.restartMaxRetries()), s.autoRemove(), "",
                mounts.volumesFrom().isEmpty() ? null : mounts.volumesFrom(), s.consoleSize() == null ? List.of(0, 0) : s.consoleSize(), null, s.capAdd(), s.capDrop(), "private",
                orEmpty(s.dns()), orEmpty(s.dnsOptions()), orEmpty(s.dnsSearch()), s.extraHosts(), s.groupAdd(),
                or(s.isolation().ipcMode(), "private"), "", null, 0, s.isolation().pidMode(), privileged, false,
                s.readonlyRootfs(), s.isolation().securityOpt().isEmpty() ? null : s.isolation().securityOpt(), null,
                mounts.tmpfs(), s.isolation().utsMode(), s.isolation().usernsMode(),
                s.shmSize() > 0 ? s.shmSize() : 64L * 1024 * 1024, s.sysctls(), s.runtime(), "", 0, s.memory(),
                s.nanoCpus(), "", 0, List.of(), List.of(), List.of(), List.of(), List.of(), 0, 0, 0, 0, "", "",
                List.of(), null, null, 0, s.memory() > 0 ? s.memory() * 2 : 0, null, null, s.pidsLimit(), null, 0, 0, 0,
                0, MountMapper.requests(c), privileged ? null : MASKED_PATHS, privileged ? null : READONLY_PATHS, s.init());
    }

    private static String or(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    /** As Docker, a restarting container counts as running (its policy will run it again). */
    static ContainerState state(RunState s, Health health) {
        return new ContainerState(s.status().apiName(), s.status() == Status.RUNNING || s.status() == Status.PAUSED
                || s.status() == Status.RESTARTING,
                s.status() == Status.PAUSED, s.status() == Status.RESTARTING, s.oomKilled(), s.status() == Status.DEAD,
                s.pid(), s.exitCode(), s.error() == null ? "" : s.error(), Times.rfc3339(s.startedAt()),
                Times.rfc3339(s.finishedAt()), health == null ? null : new HealthState(health.status(),
                        health.failingStreak(), health.log().stream().map(r -> new HealthState.Result(
                                Times.rfc3339(r.start()), Times.rfc3339(r.end()), r.exitCode(), r.output())).toList()));
    }

    /**
     * @param execIds the container's exec instances that have not ended; null when there are none, as Docker shows it
     * @param health the health check state, null when the container has no health check
     */
    static ContainerInspect inspect(Container c, Path dir, Long sizeRw, Long sizeRootFs, List<String> execIds,
            Health health, NetworkService networks) {
        List<String> argv = c.settings().argv();
        Map<String, String> graph = new LinkedHashMap<>();
        graph.put("MergedDir", dir.resolve("merged").toString());
        graph.put("UpperDir", dir.resolve("upper").toString());
        graph.put("WorkDir", dir.resolve("work").toString());
        return new ContainerInspect(c.id(), Times.rfc3339(c.created()), argv.isEmpty() ? "" : argv.getFirst(),
                argv.size() > 1 ? argv.subList(1, argv.size()) : List.of(), state(c.state(), health), c.imageId(),
                dir.resolve("resolv.conf").toString(), dir.resolve("hostname").toString(),
                dir.resolve("hosts").toString(),
                LogDrivers.NONE.equals(c.settings().logDriver()) ? "" : dir.resolve("ctr.log").toString(), "/" + c.name(), c.restartCount(),
                "overlay2", "linux", "", "", "", execIds == null || execIds.isEmpty() ? null : execIds, hostConfig(c),
                new GraphDriver("overlay2", graph), sizeRw,
                sizeRootFs, MountMapper.points(c), config(c), networks == null ? networkSettings(c)
                        : NetworkView.settings(c, networks, networkSettings(c).networks()));
    }

    private static NetworkSettings networkSettings(Container c) {
        String mode = c.settings().networkMode();
        Map<String, Object> networks = new TreeMap<>();
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("IPAMConfig", null);
        endpoint.put("Links", null);
        endpoint.put("Aliases", null);
        endpoint.put("MacAddress", "");
        endpoint.put("DriverOpts", null);
        endpoint.put("NetworkID", "");
        endpoint.put("EndpointID", "");
        endpoint.put("Gateway", "");
        endpoint.put("IPAddress", "");
        endpoint.put("IPPrefixLen", 0);
        endpoint.put("IPv6Gateway", "");
        endpoint.put("GlobalIPv6Address", "");
        endpoint.put("GlobalIPv6PrefixLen", 0);
        endpoint.put("DNSNames", null);
        networks.put(mode, endpoint);
        return new NetworkSettings("", "", "", Map.of(), false, "", 0, null, null, "", "", "", 0, "", 0, "", "", networks);
    }

    static ContainerSummary summary(Container c, Instant now, Long sizeRw, Long sizeRootFs, Health health,
            NetworkService net) {
        Map<String, Object> networks = new TreeMap<>();
        List<NetworkService.EndpointView> eps = net == null ? List.of() : net.endpointsOf(c.id());
        eps.forEach(e -> networks.put(e.network().name(), NetworkView.endpoint(e, c.state().isRunning())));
        if (networks.isEmpty()) {
            networks.put(c.settings().networkMode(), Map.of("NetworkID", "", "EndpointID", "", "Gateway", "",
                    "IPAddress", "", "IPPrefixLen", 0, "MacAddress", ""));
        }
        return new ContainerSummary(c.id(), List.of("/" + c.name()), c.image(), c.imageId(), command(c.settings()),
                c.created().getEpochSecond(), net == null ? List.of() : NetworkView.summaryPorts(c, net), sizeRw,
                sizeRootFs,
                c.settings().labels() == null ? Map.of() : c.settings().labels(), c.state().status().apiName(),
                status(c.state(), now, health), Map.of("NetworkMode", c.settings().networkMode()),
                Map.of("Networks", networks), MountMapper.points(c));
    }

    /** The command column: argv joined with spaces, as Docker shows it. */
    static String command(ContainerSettings s) {
        return s.argv().stream().collect(Collectors.joining(" "));
    }

    /** Docker's status text (container/state.go String()); {@code health} is null without a health check. */
    static String status(RunState s, Instant now, Health health) {
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + Human.duration(Duration.between(s.startedAt(), now)) + (health == null ? ""
                    : health.status().equals(Health.STARTING) ? " (health: starting)" : " (" + health.status() + ")");
            case PAUSED -> "Up " + Human.duration(Duration.between(s.startedAt(), now)) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + Human.duration(Duration.between(s.finishedAt(), now)) + " ago";
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
            case EXITED -> s.finishedAt() == null ? "Exited (" + s.exitCode() + ")"
                    : "Exited (" + s.exitCode() + ") " + Human.duration(Duration.between(s.finishedAt(), now)) + " ago";
        };
    }

    static HostConfig emptyHostConfig() {
        return new HostConfig(null, null, null, null, null, null, false, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, 0, null, false, false, false, null, null, null, null, null, 0,
                null, null, null, 0, 0, 0, null, 0, null, null, null, null, null, 0, 0, 0, 0, null, null, null, null, null,
                0, 0, null, null, null, null, 0, 0, 0, 0, null, null, null, null);
    }
}
