package dev.berth.cli.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Templates whose expected output or error message was produced by Go's own text/template (through the docker
 * CLI, see the resource's "source"): literals, printf verbs, functions, control structures, parse and execution
 * errors.
 */
class GoOracleTest {
    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = GoOracleTest.class.getResourceAsStream("/template/go-oracle-cases.json")) {
            JsonNode doc = new ObjectMapper().readTree(in);
            List<Arguments> cases = new ArrayList<>();
            for (JsonNode c : doc.get("cases")) {
                cases.add(Arguments.of(c.get("template").asText(),
                    c.has("output") ? c.get("output").asText() : null,
                    c.has("error") ? c.get("error").asText() : null));
            }
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGo(String template, String output, String error) throws TemplateException {
        if (error == null) {
            assertThat(Template.parse(template).execute(null)).isEqualTo(output);
        } else {
            assertThatThrownBy(() -> Template.parse(template).execute(null))
                .isInstanceOf(TemplateException.class).hasMessage(error);
        }
    }
}
