package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.StatsReading;
import dev.berth.engine.containers.TopResult;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Endpoints that act on a container while it runs: pause, unpause, top, stats, update, rename. Each decodes the request,
 * calls one engine method and encodes the answer.
 */
public final class RunningContainerRoutes {
    /** moby's stats collector samples once a second. */
    private static final long STATS_INTERVAL_MILLIS = 1000;

    private final ContainerService containers;

    public RunningContainerRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router r) {
        r.add("POST", "/containers/{id}/pause", (ex, p) -> {
            containers.pause(p.getFirst());
            ex.sendEmpty(204);
        });
        r.add("POST", "/containers/{id}/unpause", (ex, p) -> {
            containers.unpause(p.getFirst());
            ex.sendEmpty(204);
        });
        r.add("GET", "/containers/{id}/top", (ex, p) -> top(ex, p.getFirst()));
        r.add("GET", "/containers/{id}/stats", (ex, p) -> stats(ex, p.getFirst()));
        r.add("POST", "/containers/{id}/update", (ex, p) -> update(ex, p.getFirst()));
        r.add("POST", "/containers/{id}/rename", (ex, p) -> {
            containers.rename(p.getFirst(), ex.query("name"));
            ex.sendEmpty(204);
        });
    }

    private void top(Exchange ex, String ref) {
        TopResult top = containers.top(ref, ex.query("ps_args"));
        ObjectNode out = Responses.JSON.createObjectNode();
        ArrayNode titles = out.putArray("Titles");
        top.titles().forEach(titles::add);
        ArrayNode processes = out.putArray("Processes");
        for (List<String> row : top.processes()) {
            ArrayNode cells = processes.addArray();
            row.forEach(cells::add);
        }
        Responses.json(ex, 200, out);
    }

    private void update(Exchange ex, String ref) throws IOException {
        JsonNode body = Responses.JSON.readTree(ex.body());
        if (body == null || body.isMissingNode() || body.isNull()) {
            body = Responses.JSON.createObjectNode();
        }
        // As in moby, 0 means "leave as it is" for memory and CPUs; PidsLimit is set only when present.
        long memory = body.path("Memory").asLong();
        long nanoCpus = body.path("NanoCpus").asLong();
        JsonNode pids = body.get("PidsLimit");
        JsonNode restart = body.path("RestartPolicy");
        String policy = restart.path("Name").asText("");
        List<String> warnings = containers.update(ref, new ContainerService.Update(memory != 0 ? memory : null,
                nanoCpus != 0 ? nanoCpus : null, pids == null || pids.isNull() ? null : pids.asLong(),
                policy.isEmpty() ? null : policy, restart.path("MaximumRetryCount").asInt()));
        ObjectNode out = Responses.JSON.createObjectNode();
        ArrayNode list = out.putArray("Warnings");
        warnings.forEach(list::add);
        Responses.json(ex, 200, out);
    }

    /**
     * One reading with {@code stream=0} (after a second reading a second later, so that precpu_stats is real, unless
     * {@code one-shot=1}); else one reading a second until the container stops or the client goes away.
     */
    private void stats(Exchange ex, String ref) throws Exception {
        Container c = containers.inspect(ref);
        boolean stream = ex.queryBool("stream", true);
        boolean oneShot = ex.queryBool("one-shot", false);
        try (OutputStream out = ex.stream(200, "application/json")) {
            Optional<StatsReading> previous = Optional.empty();
            if (!stream) {
                Optional<StatsReading> now = containers.stats(ref);
                if (now.isPresent() && !oneShot) {
                    Thread.sleep(STATS_INTERVAL_MILLIS);
                    previous = now;
                    now = containers.stats(ref);
                }
                write(out, statsJson(c, now, previous));
                return;
            }
            while (true) {
                Optional<StatsReading> now = containers.stats(ref);
                write(out, statsJson(c, now, previous));
                if (now.isEmpty() && previous.isPresent()) {
                    return; // it stopped
                }
                previous = now;
                Thread.sleep(STATS_INTERVAL_MILLIS);
            }
        } catch (EngineException.NotFound e) {
            // removed while streaming: the stream just ends
        }
    }

    private static void write(OutputStream out, ObjectNode json) throws IOException {
        out.write(Responses.JSON.writeValueAsBytes(json));
        out.write('\n');
        out.flush();
    }

    /** Docker's StatsResponse ({@code api/types/container/stats.go}); a container that does not run gives zeros. */
    static ObjectNode statsJson(Container c, Optional<StatsReading> now, Optional<StatsReading> previous) {
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("name", "/" + c.name());
        out.put("id", c.id());
        out.put("read", now.map(s -> Times.rfc3339(s.read())).orElse(Times.NEVER));
        out.put("preread", previous.map(s -> Times.rfc3339(s.read())).orElse(Times.NEVER));
        ObjectNode pids = out.putObject("pids_stats");
        ObjectNode blkio = out.putObject("blkio_stats");
        out.put("num_procs", 0);
        out.putObject("storage_stats");
        out.set("cpu_stats", cpu(now));
        out.set("precpu_stats", cpu(previous));
        ObjectNode memory = out.putObject("memory_stats");
        if (now.isEmpty()) {
            for (String key : List.of("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive",
                    "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive",
                    "sectors_recursive")) {
                blkio.putNull(key);
            }
            return out;
        }
        StatsReading s = now.get();
        pids.put("current", s.pidsCurrent());
        if (s.pidsLimit() > 0) {
            pids.put("limit", s.pidsLimit());
        }
        ArrayNode io = blkio.putArray("io_service_bytes_recursive");
        for (StatsReading.Blkio b : s.ioServiceBytes()) {
            io.addObject().put("major", b.major()).put("minor", b.minor()).put("op", b.op()).put("value", b.value());
        }
        for (String key : List.of("io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive",
                "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive")) {
            blkio.putNull(key);
        }
        memory.put("usage", s.memoryUsage());
        if (s.memoryMaxUsage() > 0) {
            memory.put("max_usage", s.memoryMaxUsage());
        }
        ObjectNode stats = memory.putObject("stats");
        s.memoryStats().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> stats.put(e.getKey(), e.getValue()));
        if (s.memoryFailcnt() > 0) {
            memory.put("failcnt", s.memoryFailcnt());
        }
        memory.put("limit", s.memoryLimit());
        if (!s.networks().isEmpty()) {
            ObjectNode networks = out.putObject("networks");
            s.networks().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
                StatsReading.Network n = e.getValue();
                networks.putObject(e.getKey()).put("rx_bytes", n.rxBytes()).put("rx_packets", n.rxPackets())
                        .put("rx_errors", n.rxErrors()).put("rx_dropped", n.rxDropped()).put("tx_bytes", n.txBytes())
                        .put("tx_packets", n.txPackets()).put("tx_errors", n.txErrors()).put("tx_dropped", n.txDropped());
            });
        }
        return out;
    }

    private static ObjectNode cpu(Optional<StatsReading> reading) {
        ObjectNode cpu = Responses.JSON.createObjectNode();
        ObjectNode usage = cpu.putObject("cpu_usage");
        ObjectNode throttling = Responses.JSON.createObjectNode();
        if (reading.isEmpty()) {
            usage.put("total_usage", 0).put("usage_in_kernelmode", 0).put("usage_in_usermode", 0);
            cpu.set("throttling_data", throttling.put("periods", 0).put("throttled_periods", 0).put("throttled_time", 0));
            return cpu;
        }
        StatsReading s = reading.get();
        usage.put("total_usage", s.cpuTotalNanos());
        if (!s.perCpuNanos().isEmpty()) {
            ArrayNode per = usage.putArray("percpu_usage");
            s.perCpuNanos().forEach(per::add);
        }
        usage.put("usage_in_kernelmode", s.cpuKernelNanos()).put("usage_in_usermode", s.cpuUserNanos());
        cpu.put("system_cpu_usage", s.systemCpuNanos());
        cpu.put("online_cpus", s.onlineCpus());
        cpu.set("throttling_data", throttling.put("periods", s.throttlingPeriods())
                .put("throttled_periods", s.throttledPeriods()).put("throttled_time", s.throttledTimeNanos()));
        return cpu;
    }
}
