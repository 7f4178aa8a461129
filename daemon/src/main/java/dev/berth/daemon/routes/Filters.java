package dev.berth.daemon.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.daemon.http.Responses;
import dev.berth.engine.EngineException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code filters} query parameter in both of Docker's forms: {@code {"label":{"a=b":true}}} (Go CLI) and
 * {@code {"label":["a=b"]}} (docker-py).
 */
final class Filters {
    private Filters() {}

    static Map<String, List<String>> parse(String json) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = Responses.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EngineException.InvalidArgument("invalid filter: " + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            throw new EngineException.InvalidArgument("invalid filter: expected a JSON object");
        }
        root.properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                v.forEach(x -> values.add(x.asText()));
            } else if (v.isObject()) {
                v.properties().forEach(x -> {
                    if (x.getValue().asBoolean()) {
                        values.add(x.getKey());
                    }
                });
            } else {
                values.add(v.asText());
            }
            out.put(e.getKey(), values);
        });
        return out;
    }

    /** "k" matches when the label exists; "k=v" when it has that value. */
    static boolean labelMatches(String filter, Map<String, String> labels) {
        if (labels == null) {
            return false;
        }
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    /** For "until" filters: a duration ago ("10m"), a unix time, or an RFC 3339 time. */
    static boolean before(Instant t, String until) {
        return t.isBefore(time(until));
    }

    static Instant time(String s) {
        try {
            if (s.matches("\\d+(\\.\\d+)?")) {
                return Times.parseUnix(s);
            }
            if (s.matches("\\d+(ns|us|ms|s|m|h)")) {
                String unit = s.replaceAll("\\d+", "");
                long n = Long.parseLong(s.replaceAll("\\D", ""));
                Duration d = switch (unit) {
                    case "ns" -> Duration.ofNanos(n);
                    case "us" -> Duration.ofNanos(n * 1000);
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
                return Instant.now().minus(d);
            }
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new EngineException.InvalidArgument("failed to parse value as time or duration: \"" + s + "\"");
        }
    }
}
