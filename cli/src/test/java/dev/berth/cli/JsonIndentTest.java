package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonIndentTest {
    private static String indent(String json) {
        return new String(JsonIndent.indent(json.getBytes(StandardCharsets.UTF_8), "    "), StandardCharsets.UTF_8);
    }

    @Test
    void indent_matchesGoJsonIndent() {
        assertThat(indent("[{\"a\":1,\"b\":[],\"c\":{},\"d\":[\"x\",\"y\"]}\n]")).isEqualTo("""
                [
                    {
                        "a": 1,
                        "b": [],
                        "c": {},
                        "d": [
                            "x",
                            "y"
                        ]
                    }
                ]""");
    }

    @Test
    void indent_leavesStringsAndEscapesAlone() {
        assertThat(indent("{\"k\":\"a, b: {c} \\\"q\\\" \\u003c\"}"))
                .isEqualTo("{\n    \"k\": \"a, b: {c} \\\"q\\\" \\u003c\"\n}");
    }

    @Test
    void compact_dropsWhitespaceOutsideStrings() {
        byte[] out = JsonIndent.compact("[ {\"a\" : \"x y\"} ,\n {} ]".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("[{\"a\":\"x y\"},{}]");
    }
}
