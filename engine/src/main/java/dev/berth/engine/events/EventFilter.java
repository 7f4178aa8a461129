package dev.berth.engine.events;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which events a subscriber wants, with the matching rules of Docker's daemon/events/filter.go. Values of one key are
 * alternatives (any may match); different keys must all match; a key that is absent matches everything.
 * <ul>
 * <li>{@code type}, {@code scope}: exact.</li>
 * <li>{@code event}: exact, except that {@code health_status}, {@code exec_create} and {@code exec_start} also match
 *     their detailed forms ("health_status: healthy").</li>
 * <li>{@code container}, {@code volume}, {@code network}: the ID or the name attribute, exact or as a prefix, of an
 *     event of that type (events of other types never match).</li>
 * <li>{@code image}: the image ID or name (with or without its tag), of an image event or a container's image.</li>
 * <li>{@code label}: every value must match an attribute, as "key" (present) or "key=value".</li>
 * </ul>
 * Unknown keys are ignored, as Docker does.
 */
public record EventFilter(Map<String, List<String>> filters) {
    private static final Set<String> FUZZY_ACTIONS = Set.of("health_status", "exec_create", "exec_start");

    public EventFilter {
        filters = Map.copyOf(filters);
    }

    public static EventFilter all() {
        return new EventFilter(Map.of());
    }

    public boolean matches(Event e) {
        return matchesAction(e)
                && exact("type", e.type())
                && exact("scope", Event.SCOPE)
                && byName("container", e)
                && byName("volume", e)
                && byName("network", e)
                && byName("daemon", e)
                && matchesImage(e)
                && matchesLabels(e.attributes());
    }

    private boolean matchesAction(Event e) {
        List<String> values = filters.get("event");
        if (values == null || values.isEmpty()) {
            return true;
        }
        boolean fuzzy = values.stream().anyMatch(FUZZY_ACTIONS::contains);
        return values.stream().anyMatch(v -> fuzzy ? e.action().startsWith(v) : e.action().equals(v));
    }

    private boolean exact(String key, String value) {
        List<String> values = filters.get(key);
        return values == null || values.isEmpty() || values.contains(value);
    }

    /** Docker's FuzzyMatch on the actor ID or name: equal, or the value starts with the filter. */
    private boolean byName(String key, Event e) {
        List<String> values = filters.get(key);
        if (values == null || values.isEmpty()) {
            return true;
        }
        if (!e.type().equals(key)) {
            return false;
        }
        String name = e.attributes().getOrDefault("name", "");
        return values.stream().anyMatch(v -> e.actorId().startsWith(v) || (!name.isEmpty() && name.startsWith(v)));
    }

    private boolean matchesImage(Event e) {
        List<String> values = filters.get("image");
        if (values == null || values.isEmpty()) {
            return true;
        }
        String name = e.attributes().getOrDefault(e.type().equals("image") ? "name" : "image", "");
        return values.stream().anyMatch(v -> v.equals(e.actorId()) || v.equals(name) || v.equals(stripTag(e.actorId()))
                || v.equals(stripTag(name)));
    }

    /** "busybox:latest" → "busybox"; a registry port ("localhost:5000/x") is not a tag. */
    private static String stripTag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') && !image.startsWith("sha256:") ? image.substring(0, colon) : image;
    }

    private boolean matchesLabels(Map<String, String> attributes) {
        List<String> values = filters.get("label");
        if (values == null) {
            return true;
        }
        for (String v : values) {
            int eq = v.indexOf('=');
            boolean ok = eq < 0 ? attributes.containsKey(v) : v.substring(eq + 1).equals(attributes.get(v.substring(0, eq)));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
