package dev.berth.cli.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Go struct value: a type name and named fields in declaration order. Templates read its fields with
 * {@code .Name}, print it as {@code {v1 v2}} and {@code json} encodes it with its fields in order, as Go does.
 * A field that is absent is an error ({@code can't evaluate field X in type T}) while a field that holds
 * {@code null} is a nil pointer, slice or map.
 *
 * @param typeName the Go type shown in errors, e.g. {@code types.MountPoint}
 * @param fields   field name to value, in declaration order; values may be null
 */
public record GoStruct(String typeName, Map<String, Object> fields) {
    public GoStruct {
        Objects.requireNonNull(typeName, "typeName");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A struct from alternating field names and values: {@code of("T", "Name", "x", "RW", true)}. */
    public static GoStruct of(String typeName, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("GoStruct.of needs name/value pairs, got " + namesAndValues.length
                + " arguments for " + typeName);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new GoStruct(typeName, fields);
    }

    /** Whether the struct declares this field (whatever its value). */
    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** The field's value, null when it holds nil or is not declared. */
    public Object get(String field) {
        return fields.get(field);
    }
}
