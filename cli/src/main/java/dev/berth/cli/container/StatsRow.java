package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.format.Units;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One row of {@code docker stats}, computed from a stats reading as docker's CLI does (cli
 * {@code container/stats_helpers.go}): CPU % from the change of the container's and the host's CPU time since
 * {@code precpu_stats}, times the online CPUs; memory without the inactive file cache; the sums of the network and
 * block device counters; and formatted as its {@code formatter_stats.go} does.
 */
final class StatsRow {
    private StatsRow() {
    }

    /** The row's fields by template name: Container, ID, Name, CPUPerc, MemUsage, MemPerc, NetIO, BlockIO, PIDs. */
    static Map<String, String> of(JsonNode s, String container, boolean trunc) {
        double cpu = cpuPercent(s);
        double memory = memoryUsage(s.path("memory_stats"));
        double limit = s.path("memory_stats").path("limit").asDouble();
        double memPercent = limit != 0 ? memory / limit * 100.0 : 0;
        long rx = 0;
        long tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        long read = 0;
        long write = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = e.path("op").asText();
            if (op.isEmpty()) {
                continue;
            }
            switch (op.charAt(0)) {
                case 'r', 'R' -> read += e.path("value").asLong();
                case 'w', 'W' -> write += e.path("value").asLong();
                default -> { }
            }
        }
        String id = s.path("id").asText();
        String name = s.path("name").asText();
        Map<String, String> row = new LinkedHashMap<>();
        row.put("BlockIO", Units.humanSizeWithPrecision(read, 3) + " / " + Units.humanSizeWithPrecision(write, 3));
        row.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", cpu));
        row.put("Container", container);
        row.put("ID", trunc && id.length() > 12 ? id.substring(0, 12) : id);
        row.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", memPercent));
        row.put("MemUsage", Units.bytesSize(memory) + " / " + Units.bytesSize(limit));
        row.put("Name", name.startsWith("/") ? name.substring(1) : name);
        row.put("NetIO", Units.humanSizeWithPrecision(rx, 3) + " / " + Units.humanSizeWithPrecision(tx, 3));
        row.put("PIDs", Long.toString(s.path("pids_stats").path("current").asLong()));
        return row;
    }

    /** calculateCPUPercentUnix. */
    static double cpuPercent(JsonNode s) {
        JsonNode now = s.path("cpu_stats");
        JsonNode before = s.path("precpu_stats");
        double cpuDelta = now.path("cpu_usage").path("total_usage").asDouble()
                - before.path("cpu_usage").path("total_usage").asDouble();
        double systemDelta = now.path("system_cpu_usage").asDouble() - before.path("system_cpu_usage").asDouble();
        double online = now.path("online_cpus").asDouble();
        if (online == 0) {
            online = now.path("cpu_usage").path("percpu_usage").size();
        }
        return systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * online * 100.0 : 0;
    }

    /** calculateMemUsageUnixNoCache: usage less total_inactive_file (v1) or inactive_file (v2). */
    static double memoryUsage(JsonNode memory) {
        long usage = memory.path("usage").asLong();
        JsonNode stats = memory.path("stats");
        if (stats.has("total_inactive_file") && stats.get("total_inactive_file").asLong() < usage) {
            return usage - stats.get("total_inactive_file").asLong();
        }
        long inactive = stats.path("inactive_file").asLong();
        return inactive < usage ? usage - inactive : usage;
    }
}
