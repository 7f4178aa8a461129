package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TopCommandTest {
    @Test
    void render_alignsColumnsWithDockersMinimumWidthOf20() throws Exception {
        String json = "{\"Titles\":[\"UID\",\"PID\",\"CMD\"],\"Processes\":[[\"root\",\"4242\",\"sleep 300\"],"
                + "[\"nobody\",\"12\",\"a-very-long-command-name-over-twenty\"]]}";
        assertThat(TopCommand.render(new ObjectMapper().readTree(json))).isEqualTo(
                "UID                 PID                 CMD\n"
                + "root                4242                sleep 300\n"
                + "nobody              12                  a-very-long-command-name-over-twenty\n");
    }
}
