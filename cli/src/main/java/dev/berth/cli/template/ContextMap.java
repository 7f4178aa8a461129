package dev.berth.cli.template;

import java.util.Map;
import java.util.TreeMap;

/**
 * docker's list contexts (formatter.ContainerContext...) marshal to JSON as a map from field name to value with
 * sorted keys, not as structs. This gives that map for a row: a record's components, a GoStruct's fields, a map's
 * entries, or a plain object's public no-argument methods.
 */
public final class ContextMap {
    private ContextMap() {
    }

    public static Map<String, Object> of(Object context) {
        Map<String, Object> sorted = new TreeMap<>();
        switch (context) {
            case Map<?, ?> m -> m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            case GoStruct s -> sorted.putAll(s.fields());
            case Record r -> sorted.putAll(Values.structFields(r));
            default -> sorted.putAll(GoJson.getters(context));
        }
        return sorted;
    }
}
