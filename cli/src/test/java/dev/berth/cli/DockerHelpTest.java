package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerHelpTest {
    @Test
    void wrap_breaksLikePflagWithFiveColumnsOfSlop() {
        String text = "Show n last created containers (includes all states) (default -1)";
        assertThat(DockerHelp.wrap(24, 79, text))
                .isEqualTo("Show n last created containers (includes all\n" + " ".repeat(24) + "states) (default -1)");
    }

    @Test
    void wrap_keepsShortTextOnOneLine() {
        assertThat(DockerHelp.wrap(24, 79, "Don't truncate output")).isEqualTo("Don't truncate output");
    }

    @Test
    void wrap_honoursEmbeddedNewlines() {
        String text = "Format output using a custom template:\n'json':             Print in JSON format";
        assertThat(DockerHelp.wrap(24, 79, text))
                .isEqualTo("Format output using a custom template:\n" + " ".repeat(24)
                        + "'json':             Print in JSON format");
    }
}
