package dev.berth.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Prints a JSON-lines progress stream (import, pull, load) as it arrives, the way docker's jsonmessage does when the
 * output is not a terminal: one line per message, "id: status progress". An errorDetail ends the command with it.
 */
public final class JsonMessages {
    private JsonMessages() {
    }

    public static void print(Cli cli, InputStream stream, PrintStream out) throws IOException {
        JsonParser parser = cli.json().getFactory().createParser(stream);
        try (MappingIterator<JsonNode> it = cli.json().readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                JsonNode m = it.nextValue();
                JsonNode error = m.get("errorDetail");
                if (error != null && error.hasNonNull("message")) {
                    out.flush();
                    int code = error.path("code").asInt(0);
                    throw new CliException(error.get("message").asText(), code == 0 ? 1 : code);
                }
                if (m.hasNonNull("error")) {
                    out.flush();
                    throw new CliException(m.get("error").asText(), 1);
                }
                if (m.hasNonNull("stream")) {
                    out.print(m.get("stream").asText());
                } else if (m.hasNonNull("status")) {
                    StringBuilder line = new StringBuilder();
                    if (m.hasNonNull("id") && !m.get("id").asText().isEmpty()) {
                        line.append(m.get("id").asText()).append(": ");
                    }
                    line.append(m.get("status").asText());
                    out.println(line);
                }
                out.flush();
            }
        }
    }
}
