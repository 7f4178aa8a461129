package dev.berth.engine.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.EngineException;
import java.util.List;
import java.util.Locale;

/**
 * {@code import --change}: the Dockerfile instructions Docker allows there (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL,
 * ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL), applied to an image's {@code config} object.
 */
public final class ImportChanges {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ALLOWED =
            List.of("CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR", "STOPSIGNAL");

    private ImportChanges() {}

    public static void apply(ObjectNode config, String change) {
        String line = change.strip();
        int space = line.indexOf(' ');
        String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        if (!ALLOWED.contains(keyword)) {
            throw new EngineException.InvalidArgument(keyword + " is not a valid change command");
        }
        switch (keyword) {
            case "CMD", "ENTRYPOINT" -> config.set(keyword.equals("CMD") ? "Cmd" : "Entrypoint", command(rest));
            case "ENV" -> keyValues(config, "Env", rest, true);
            case "LABEL" -> keyValues(config, "Labels", rest, false);
            case "EXPOSE" -> {
                ObjectNode ports = config.withObjectProperty("ExposedPorts");
                for (String p : rest.split("\\s+")) {
                    ports.putObject(p.contains("/") ? p : p + "/tcp");
                }
            }
            case "VOLUME" -> {
                ObjectNode volumes = config.withObjectProperty("Volumes");
                JsonNode list = rest.startsWith("[") ? parseArray(rest) : null;
                if (list != null) {
                    list.forEach(v -> volumes.putObject(v.asText()));
                } else {
                    for (String v : rest.split("\\s+")) {
                        volumes.putObject(v);
                    }
                }
            }
            case "ONBUILD" -> config.withArrayProperty("OnBuild").add(rest);
            case "USER" -> config.put("User", rest);
            case "WORKDIR" -> config.put("WorkingDir", rest);
            case "STOPSIGNAL" -> config.put("StopSignal", rest);
            default -> throw new IllegalStateException(keyword);
        }
    }

    /** Exec form (a JSON array) as is; shell form wrapped in {@code /bin/sh -c}. */
    private static ArrayNode command(String rest) {
        if (rest.startsWith("[")) {
            JsonNode parsed = parseArray(rest);
            if (parsed != null) {
                return (ArrayNode) parsed;
            }
        }
        return JSON.createArrayNode().add("/bin/sh").add("-c").add(rest);
    }

    private static JsonNode parseArray(String s) {
        try {
            JsonNode n = JSON.readTree(s);
            return n.isArray() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** {@code K=V K2="v 2"} or the legacy {@code K V} form. */
    private static void keyValues(ObjectNode config, String field, String rest, boolean env) {
        List<String[]> pairs = new java.util.ArrayList<>();
        if (!rest.contains("=")) {
            int sp = rest.indexOf(' ');
            if (sp < 0) {
                throw new EngineException.InvalidArgument(field.toUpperCase(Locale.ROOT) + " requires two arguments");
            }
            pairs.add(new String[] {rest.substring(0, sp), rest.substring(sp + 1).strip()});
        } else {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^\\s=]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)").matcher(rest);
            while (m.find()) {
                String v = m.group(2);
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
                }
                pairs.add(new String[] {m.group(1), v});
            }
        }
        if (env) {
            ArrayNode list = config.withArrayProperty("Env");
            for (String[] p : pairs) {
                for (int i = list.size() - 1; i >= 0; i--) {
                    if (list.get(i).asText().startsWith(p[0] + "=")) {
                        list.remove(i);
                    }
                }
                list.add(p[0] + "=" + p[1]);
            }
        } else {
            ObjectNode labels = config.withObjectProperty(field);
            for (String[] p : pairs) {
                labels.put(p[0], p[1]);
            }
        }
    }
}
