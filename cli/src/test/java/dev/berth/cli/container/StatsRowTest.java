package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker stats' numbers from a stats reading: the CLI's own formulas and formats. */
class StatsRowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode reading(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    @Test
    void row_computesCpuMemoryNetworkAndBlockIo_likeDockersCli() throws Exception {
        JsonNode s = reading("""
                {'id':'0123456789abcdef0123','name':'/web',
                 'cpu_stats':{'cpu_usage':{'total_usage':300000000},'system_cpu_usage':2000000000,'online_cpus':2},
                 'precpu_stats':{'cpu_usage':{'total_usage':100000000},'system_cpu_usage':1000000000},
                 'memory_stats':{'usage':10485760,'limit':104857600,'stats':{'total_inactive_file':2097152}},
                 'networks':{'eth0':{'rx_bytes':1500,'tx_bytes':250},'eth1':{'rx_bytes':500,'tx_bytes':0}},
                 'blkio_stats':{'io_service_bytes_recursive':[{'op':'Read','value':4096},{'op':'write','value':1000000},
                                {'op':'Total','value':1004096}]},
                 'pids_stats':{'current':7}}""");
        Map<String, String> row = StatsRow.of(s, "web", true);
        // (300-100) / (2000-1000) * 2 CPUs * 100
        assertThat(row).containsEntry("CPUPerc", "40.00%")
                .containsEntry("MemUsage", "8MiB / 100MiB")
                .containsEntry("MemPerc", "8.00%")
                .containsEntry("NetIO", "2kB / 250B")
                .containsEntry("BlockIO", "4.1kB / 1MB")
                .containsEntry("PIDs", "7")
                .containsEntry("ID", "0123456789ab")
                .containsEntry("Name", "web")
                .containsEntry("Container", "web");
        assertThat(StatsRow.of(s, "web", false)).containsEntry("ID", "0123456789abcdef0123");
    }

    @Test
    void memory_usesInactiveFileOnCgroupV2_andTheWholeUsageWhenTheCacheIsLarger() throws Exception {
        assertThat(StatsRow.memoryUsage(reading("{'usage':1000,'stats':{'inactive_file':400}}"))).isEqualTo(600);
        assertThat(StatsRow.memoryUsage(reading("{'usage':1000,'stats':{'total_inactive_file':4000,'inactive_file':100}}")))
                .isEqualTo(900);
        assertThat(StatsRow.memoryUsage(reading("{'usage':1000,'stats':{}}"))).isEqualTo(1000);
    }

    @Test
    void aContainerThatDoesNotRun_showsZeros() throws Exception {
        Map<String, String> row = StatsRow.of(reading("{'id':'abc','name':'/off','read':'0001-01-01T00:00:00Z'}"), "off", true);
        assertThat(row).containsEntry("CPUPerc", "0.00%").containsEntry("MemUsage", "0B / 0B")
                .containsEntry("MemPerc", "0.00%").containsEntry("NetIO", "0B / 0B").containsEntry("BlockIO", "0B / 0B")
                .containsEntry("PIDs", "0");
    }

    @Test
    void cpu_fallsBackToThePerCpuCount_andIsZeroWithoutProgress() throws Exception {
        assertThat(StatsRow.cpuPercent(reading("""
                {'cpu_stats':{'cpu_usage':{'total_usage':200,'percpu_usage':[1,1,1,1]},'system_cpu_usage':1000},
                 'precpu_stats':{'cpu_usage':{'total_usage':100},'system_cpu_usage':500}}"""))).isEqualTo(80.0);
        assertThat(StatsRow.cpuPercent(reading("""
                {'cpu_stats':{'cpu_usage':{'total_usage':100},'system_cpu_usage':1000,'online_cpus':2},
                 'precpu_stats':{'cpu_usage':{'total_usage':100},'system_cpu_usage':500}}"""))).isZero();
    }
}
