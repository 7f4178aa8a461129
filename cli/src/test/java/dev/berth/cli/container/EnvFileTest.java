package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {
    @Test
    void parse_skipsCommentsAndBlanks_keepsValuesVerbatim_andTakesBareNamesFromTheEnvironment() throws Exception {
        String text = "\uFEFF# comment\n\nA=1\n  B= spaced value \nC\nUNSET\nD=x=y\r\n";
        assertThat(EnvFile.parse(text, Map.of("C", "from-env")))
                .containsExactly("A=1", "B= spaced value ", "C=from-env", "UNSET", "D=x=y");
    }

    @Test
    void parse_refusesNamesWithWhitespace_asDocker() {
        assertThatThrownBy(() -> EnvFile.parse("MY VAR=1\n", Map.of()))
                .hasMessage("poorly formatted environment: variable 'MY VAR' contains whitespaces");
        assertThatThrownBy(() -> EnvFile.parse("=1\n", Map.of()))
                .hasMessage("poorly formatted environment: no variable name on line '=1'");
    }
}
