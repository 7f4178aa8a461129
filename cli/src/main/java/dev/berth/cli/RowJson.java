package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * "--format json" for list verbs: docker marshals each row context with encoding/json, so keys are sorted and
 * &lt;, &gt; and &amp; are escaped (\u003c...), unlike the template "json" function.
 */
public final class RowJson {
    private RowJson() {
    }

    public static void print(ObjectMapper json, PrintStream out, List<Map<String, String>> rows) {
        for (Map<String, String> row : rows) {
            try {
                String text = json.writeValueAsString(new TreeMap<>(row));
                out.println(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"));
            } catch (JsonProcessingException e) {
                throw new CliException("failed to encode row: " + e.getMessage(), 1);
            }
        }
    }
}
