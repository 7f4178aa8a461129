package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.daemon.http.ApiVersion;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.Engine;
import dev.berth.engine.SystemFacts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** {@code /_ping}, {@code /version}, {@code /info}. */
public final class SystemRoutes {
    private final Engine engine;

    public SystemRoutes(Engine engine) {
        this.engine = engine;
    }

    public void register(Router r) {
        r.add("GET", "/_ping", (ex, p) -> ping(ex, false));
        r.add("HEAD", "/_ping", (ex, p) -> ping(ex, true));
        r.add("GET", "/version", (ex, p) -> Responses.json(ex, 200, version()));
        r.add("GET", "/info", (ex, p) -> Responses.json(ex, 200, info()));
    }

    private static void ping(Exchange ex, boolean head) {
        // Builder-Version 1: the classic builder; Swarm inactive. The CLI reads both from this reply.
        ex.send(200, "text/plain; charset=utf-8", head ? new byte[0] : "OK".getBytes(StandardCharsets.UTF_8),
                List.of("Builder-Version", "1", "Swarm", "inactive",
                        "Cache-Control", "no-cache, no-store, must-revalidate", "Pragma", "no-cache"));
    }

    private ObjectNode version() {
        SystemFacts f = engine.system().facts();
        ObjectNode v = Responses.JSON.createObjectNode();
        v.putObject("Platform").put("Name", "Berth Engine");
        ObjectNode engineComponent = v.putArray("Components").addObject()
                .put("Name", "Engine").put("Version", ApiVersion.ENGINE_VERSION);
        ObjectNode details = engineComponent.putObject("Details");
        details.put("ApiVersion", ApiVersion.MAX.toString()).put("MinAPIVersion", ApiVersion.MIN.toString())
                .put("GitCommit", "berth").put("GoVersion", "java" + Runtime.version().feature())
                .put("Os", "linux").put("Arch", f.arch()).put("KernelVersion", f.kernelVersion())
                .put("BuildTime", "2026-01-01T00:00:00.000000000+00:00").put("Experimental", "false");
        for (String[] c : new String[][] {{"runc", f.runcVersion()}, {"conmon", f.conmonVersion()}}) {
            ObjectNode comp = ((ArrayNode) v.get("Components")).addObject().put("Name", c[0]).put("Version", c[1]);
            comp.putObject("Details").put("GitCommit", "");
        }
        v.put("Version", ApiVersion.ENGINE_VERSION).put("ApiVersion", ApiVersion.MAX.toString())
                .put("MinAPIVersion", ApiVersion.MIN.toString()).put("GitCommit", "berth")
                .put("GoVersion", "java" + Runtime.version().feature()).put("Os", "linux").put("Arch", f.arch())
                .put("KernelVersion", f.kernelVersion()).put("BuildTime", "2026-01-01T00:00:00.000000000+00:00");
        return v;
    }

    private ObjectNode info() {
        SystemFacts f = engine.system().facts();
        SystemFacts.Counts c = engine.system().counts();
        ObjectNode i = Responses.JSON.createObjectNode();
        i.put("ID", f.daemonId()).put("Containers", c.containers()).put("ContainersRunning", c.running())
                .put("ContainersPaused", c.paused()).put("ContainersStopped", c.stopped()).put("Images", c.images())
                .put("Driver", "overlay2");
        ArrayNode driverStatus = i.putArray("DriverStatus");
        driverStatus.addArray().add("Backing Filesystem").add(f.backingFilesystem());
        driverStatus.addArray().add("Supports d_type").add("true");
        driverStatus.addArray().add("Using metacopy").add("false");
        driverStatus.addArray().add("Native Overlay Diff").add("true");
        driverStatus.addArray().add("userxattr").add("false");
        ObjectNode plugins = i.putObject("Plugins");
        plugins.putArray("Volume").add("local");
        plugins.putArray("Network").add("host").add("null");
        plugins.putNull("Authorization");
        plugins.putArray("Log").add("json-file").add("local").add("none");
        i.put("MemoryLimit", true).put("SwapLimit", f.swapLimit()).put("CpuCfsPeriod", true).put("CpuCfsQuota", true)
                .put("CPUShares", true).put("CPUSet", true).put("PidsLimit", true).put("IPv4Forwarding", true)
                .put("Debug", false).put("NFd", openFiles()).put("OomKillDisable", f.cgroupVersion().equals("1"))
                .put("NGoroutines", Thread.activeCount()).put("SystemTime", Instant.now().toString())
                .put("LoggingDriver", f.logDriver()).put("CgroupDriver", "cgroupfs").put("CgroupVersion", f.cgroupVersion())
                .put("NEventsListener", 0).put("KernelVersion", f.kernelVersion())
                .put("OperatingSystem", f.operatingSystem()).put("OSVersion", f.osVersion()).put("OSType", "linux")
                .put("Architecture", f.machine()).put("IndexServerAddress", "https://index.docker.io/v1/");
        ObjectNode registry = i.putObject("RegistryConfig");
        registry.putArray("AllowNondistributableArtifactsCIDRs");
        registry.putArray("AllowNondistributableArtifactsHostnames");
        registry.putArray("InsecureRegistryCIDRs").add("127.0.0.0/8");
        registry.putObject("IndexConfigs").putObject("docker.io").put("Name", "docker.io").put("Secure", true)
                .put("Official", true).putArray("Mirrors");
        registry.putArray("Mirrors");
        i.put("NCPU", Runtime.getRuntime().availableProcessors()).put("MemTotal", f.memTotal())
                .putNull("GenericResources");
        i.put("DockerRootDir", f.dataRoot()).put("HttpProxy", "").put("HttpsProxy", "").put("NoProxy", "")
                .put("Name", f.hostname());
        i.putArray("Labels");
        i.put("ExperimentalBuild", false).put("ServerVersion", ApiVersion.ENGINE_VERSION);
        ObjectNode runtimes = i.putObject("Runtimes");
        runtimes.putObject("runc").put("path", "runc");
        runtimes.putObject("crun").put("path", "crun");
        i.put("DefaultRuntime", f.defaultRuntime());
        ObjectNode swarm = i.putObject("Swarm");
        swarm.put("NodeID", "").put("NodeAddr", "").put("LocalNodeState", "inactive").put("ControlAvailable", false)
                .put("Error", "").putNull("RemoteManagers");
        i.put("LiveRestoreEnabled", true).put("Isolation", "").put("InitBinary", "catatonit");
        i.putObject("ContainerdCommit").put("ID", "");
        i.putObject("RuncCommit").put("ID", f.runcVersion());
        i.putObject("InitCommit").put("ID", "");
        i.putArray("SecurityOptions").add("name=cgroupns");
        i.putArray("Warnings");
        return i;
    }

    private static int openFiles() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }
}
