package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTAINER = """
            {"Id":"7f74f69d355a623eccbe0edb3acde297210f2075afd282dc3ef6982b97790cb0","Names":["/web","/other/alias"],
             "Image":"busybox@sha256:1234","ImageID":"sha256:ac4cc8797cc4","Command":"sh -c 'for i in 1 2 3; do echo'",
             "Created":1699999995,"Ports":[],"Labels":{"a":"b"},"State":"running","Status":"Up 5 seconds",
             "SizeRw":12,"SizeRootFs":1984132,"Mounts":[{"Type":"volume","Name":"data","Source":"/x"}],
             "NetworkSettings":{"Networks":{"bridge":{},"alpha":{}}}}""";

    private static Map<String, String> row(boolean trunc) throws Exception {
        return PsCommand.row(JSON.readTree(CONTAINER), trunc, Instant.ofEpochSecond(1_700_000_000L));
    }

    @Test
    void row_truncatedColumnsMatchDockers() throws Exception {
        Map<String, String> row = row(true);
        assertThat(row.get("ID")).isEqualTo("7f74f69d355a");
        assertThat(row.get("Image")).isEqualTo("busybox");
        assertThat(row.get("Command")).isEqualTo("\"sh -c 'for i in 1 2…\"");
        assertThat(row.get("RunningFor")).isEqualTo("5 seconds ago");
        assertThat(row.get("Names")).isEqualTo("web");
        assertThat(row.get("Size")).isEqualTo("12B (virtual 1.98MB)");
        assertThat(row.get("Networks")).isEqualTo("alpha,bridge");
        assertThat(row.get("LocalVolumes")).isEqualTo("1");
        assertThat(row.get("Mounts")).isEqualTo("data");
        assertThat(row.get("Labels")).isEqualTo("a=b");
    }

    @Test
    void row_noTruncKeepsFullValuesAndLinkNames() throws Exception {
        Map<String, String> row = row(false);
        assertThat(row.get("ID")).hasSize(64);
        assertThat(row.get("Image")).isEqualTo("busybox@sha256:1234");
        assertThat(row.get("Command")).isEqualTo("\"sh -c 'for i in 1 2 3; do echo'\"");
        assertThat(row.get("Names")).isEqualTo("web,other/alias");
    }
}
