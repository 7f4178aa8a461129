package dev.berth.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming reader and writer give the trees and bytes ObjectMapper gives. */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "[]", "null", "{\"Id\":\"abc\",\"Warnings\":[]}",
            "{\"StatusCode\":137,\"Error\":{\"Message\":\"x\"}}", "[1, 2147483648, 92233720368547758070, 1.5, -0.0, 1e300]",
            "{\"a\":true,\"b\":false,\"c\":null,\"a\":\"dup\"}", "{\"s\":\"\\u00e9t\\u00e9 \\\"q\\\" \\n \\ud83d\\ude00\"}",
            "{\"n\":[[{\"deep\":[{}]}]]} trailing"})
    void read_givesObjectMappersTree(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonNode expected = MAPPER.readTree(new ByteArrayInputStream(bytes));
        JsonNode fromStream = JsonTrees.read(new ByteArrayInputStream(bytes));
        assertThat(fromStream).isEqualTo(expected);
        assertThat(fromStream.getNodeType()).isEqualTo(expected.getNodeType());
        assertThat(JsonTrees.read(bytes)).isEqualTo(MAPPER.readTree(bytes));
        if (!json.isEmpty()) {
            assertThat(JsonTrees.write(fromStream)).isEqualTo(MAPPER.writeValueAsBytes(expected));
        }
    }

    @Test
    void write_givesObjectMappersBytesForEveryValueKind() throws IOException {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("text", "é \"x\"").put("int", 7).put("long", 1L << 40).put("double", 0.1).put("float", 1.5f)
                .put("big", new BigInteger("123456789012345678901234567890")).put("dec", new BigDecimal("1.50"))
                .put("short", (short) 3).put("yes", true).putNull("none");
        body.putArray("list").add(1).add("two").addObject().putArray("empty");
        body.put("bytes", new byte[] {1, 2, 3});
        assertThat(new String(JsonTrees.write(body), StandardCharsets.UTF_8))
                .isEqualTo(new String(MAPPER.writeValueAsBytes(body), StandardCharsets.UTF_8));
    }

    @Test
    void read_rejectsMalformedJson() {
        assertThatThrownBy(() -> JsonTrees.read("{\"a\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
