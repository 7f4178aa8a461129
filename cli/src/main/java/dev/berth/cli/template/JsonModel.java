package dev.berth.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns Engine API JSON into the {@link Template} data model. Go decodes inspect output into typed structs, in
 * which most JSON objects are structs and a few are maps (labels, port bindings, networks...): the caller says
 * which by path. A path names an object by the field names leading to it, joined by dots ({@code Config.Labels});
 * an array element adds {@code []} ({@code Mounts[]}), a map value adds {@code .*}
 * ({@code NetworkSettings.Networks.*}). The root is the empty path.
 *
 * <p>A JSON null is a nil pointer (printed {@code <nil>}) unless its path is a map or a slice: Go prints
 * a nil map as {@code map[]} and a nil slice as {@code []} (e.g. an unpublished port in
 * {@code NetworkSettings.Ports} prints {@code map[80/tcp:[]]}), while {@code json} still gives {@code null}.
 *
 * @param isMap    whether the value at a path is a Go map (else a JSON object is a {@link GoStruct})
 * @param isSlice  whether the value at a path is a Go slice, for nulls (arrays are slices anyway)
 * @param typeName the Go type name of the struct at a path, shown in errors
 */
public record JsonModel(Predicate<String> isMap, Predicate<String> isSlice, Function<String, String> typeName) {
    private static final Predicate<String> EVERY_PATH = path -> true;

    public JsonModel {
        Objects.requireNonNull(isMap, "isMap");
        Objects.requireNonNull(isSlice, "isSlice");
        Objects.requireNonNull(typeName, "typeName");
    }

    /** Objects at the given paths are maps, all others structs named "struct". */
    public static JsonModel mapsAt(String... paths) {
        List<String> list = List.of(paths);
        return new JsonModel(list::contains, path -> false, path -> "struct");
    }

    /** This model, where a null at one of the given paths is a nil slice. */
    public JsonModel withSlicesAt(String... paths) {
        List<String> list = List.of(paths);
        return new JsonModel(isMap, isSlice.or(list::contains), typeName);
    }

    /** This model, with struct type names (for error messages) given by path. */
    public JsonModel withTypeNames(Function<String, String> names) {
        return new JsonModel(isMap, isSlice, names);
    }

    /** Every JSON object is a map, as Go's {@code map[string]interface{}} decoding makes it. */
    public static JsonModel raw() {
        return new JsonModel(EVERY_PATH, path -> false, path -> "map[string]interface {}");
    }

    /** Converts a JSON tree; objects become Map or GoStruct, arrays List, numbers Long or Double. */
    public Object convert(JsonNode node) {
        return convert(node, "");
    }

    private Object convert(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (isSlice.test(path)) {
                return new GoNil.Slice();
            }
            // In the raw model every value is an interface{}, so a null stays an untyped nil.
            if (isMap == EVERY_PATH) {
                return null;
            }
            return isMap.test(path) ? new GoNil.GoMap() : new GoNil.Pointer(typeName.apply(path));
        }
        if (node.isObject()) {
            boolean map = isMap.test(path);
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String child = map ? path + ".*" : path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                fields.put(e.getKey(), convert(e.getValue(), child));
            }
            return map ? Collections.unmodifiableMap(fields) : new GoStruct(typeName.apply(path), fields);
        }
        if (node.isArray()) {
            List<Object> elements = new ArrayList<>(node.size());
            for (JsonNode e : node) {
                elements.add(convert(e, path + "[]"));
            }
            return Collections.unmodifiableList(elements);
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }

    /**
     * docker inspect's template run: execute against the typed model with Go's default missing-key behaviour;
     * if that fails, execute again against the raw model (every object a map) with {@code missingkey=error},
     * whose error is the one reported. The caller prints the result followed by a newline, and prefixes errors
     * with "template parsing error: " as docker does.
     */
    public String inspect(Template template, JsonNode node) throws TemplateException {
        try {
            return template.withMissingKey(Template.MissingKey.NO_VALUE).execute(convert(node));
        } catch (TemplateException typedFailure) {
            return template.withMissingKey(Template.MissingKey.ERROR).execute(raw().convert(node));
        }
    }
}
