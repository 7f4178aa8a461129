package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** -f/--filter key=value flags encoded as docker's filters JSON: {"key":{"value":true}}. */
public final class Filters {
    private Filters() {
    }

    /**
     * Returns the JSON, or null when there are no filters (the parameter is then left out, as docker does). The CLI's
     * JSON mapper is made only when there are filters: making it is a good part of a short command's run time.
     */
    public static String encode(Cli cli, List<String> filters) {
        return filters.isEmpty() ? null : encode(cli.json(), filters);
    }

    /** Returns the JSON, or null when there are no filters. */
    public static String encode(ObjectMapper json, List<String> filters) {
        if (filters.isEmpty()) {
            return null;
        }
        ObjectNode root = json.createObjectNode();
        for (String filter : filters) {
            int eq = filter.indexOf('=');
            if (eq < 0) {
                throw new CliException("invalid argument \"" + filter + "\" for \"-f, --filter\" flag: bad format of "
                        + "filter (expected name=value)", 125);
            }
            String key = filter.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
            String value = filter.substring(eq + 1).strip();
            ObjectNode values = root.has(key) ? (ObjectNode) root.get(key) : root.putObject(key);
            values.put(value, true);
        }
        try {
            return json.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException(e.getMessage(), 1);
        }
    }
}
