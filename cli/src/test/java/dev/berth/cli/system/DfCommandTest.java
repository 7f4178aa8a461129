package dev.berth.cli.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DfCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Map<String, String>> summary(String json) throws Exception {
        JsonNode df = JSON.readTree(json);
        return DfCommand.summary(df);
    }

    @Test
    void summary_reclaimableIsWhatActiveImagesDoNotHoldAlone_withDockersPercent() throws Exception {
        List<Map<String, String>> rows = summary("""
                {"LayersSize": 4261234,
                 "Images": [{"Size": 4261234, "SharedSize": 0, "Containers": 1},
                            {"Size": 3000000, "SharedSize": 3000000, "Containers": 0}],
                 "Containers": [{"State": "running", "SizeRw": 2}, {"State": "exited", "SizeRw": 1500}],
                 "Volumes": [], "BuildCache": []}""");

        assertThat(rows.get(0)).containsEntry("Type", "Images").containsEntry("TotalCount", "2")
                .containsEntry("Active", "1").containsEntry("Size", "4.261MB").containsEntry("Reclaimable", "0B (0%)");
        assertThat(rows.get(1)).containsEntry("Type", "Containers").containsEntry("Active", "1")
                .containsEntry("Size", "1.502kB").containsEntry("Reclaimable", "1.5kB (99%)");
        assertThat(rows.get(2)).containsEntry("Type", "Local Volumes").containsEntry("Size", "0B")
                .containsEntry("Reclaimable", "0B");
        assertThat(rows.get(3)).containsEntry("Type", "Build Cache").containsEntry("Reclaimable", "0B");
    }

    @Test
    void summary_volumesAndBuildCache() throws Exception {
        List<Map<String, String>> rows = summary("""
                {"LayersSize": 0, "Images": [], "Containers": [],
                 "Volumes": [{"UsageData": {"Size": 1000, "RefCount": 1}}, {"UsageData": {"Size": 3000, "RefCount": 0}},
                             {"UsageData": {"Size": -1, "RefCount": 0}}],
                 "BuildCache": [{"Size": 500, "InUse": false, "Shared": false},
                                {"Size": 700, "InUse": true, "Shared": false},
                                {"Size": 900, "InUse": false, "Shared": true}]}""");

        assertThat(rows.get(2)).containsEntry("TotalCount", "3").containsEntry("Active", "1").containsEntry("Size", "4kB")
                .containsEntry("Reclaimable", "3kB (75%)");
        assertThat(rows.get(3)).containsEntry("TotalCount", "3").containsEntry("Active", "1").containsEntry("Size", "1.2kB")
                .containsEntry("Reclaimable", "500B");
    }
}
