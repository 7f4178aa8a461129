package dev.berth.cli.template;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the template sees Java values: Go kinds, type names, truth, and the elements of slices and maps. */
final class Values {
    /** Go's invalid reflect.Value: a missing map key or nil data; printed "<no value>". */
    enum NoValue {
        INSTANCE;

        @Override
        public String toString() {
            return "<no value>";
        }
    }

    enum Kind { NIL, BOOL, INT, FLOAT, STRING, SLICE, MAP, STRUCT, FUNC, OTHER }

    private Values() {
    }

    static Kind kind(Object v) {
        return switch (v) {
            case null -> Kind.NIL;
            case NoValue n -> Kind.NIL;
            case GoNil.Pointer p -> Kind.NIL;
            case Boolean b -> Kind.BOOL;
            case Long l -> Kind.INT;
            case Integer i -> Kind.INT;
            case Short s -> Kind.INT;
            case Byte b -> Kind.INT;
            case BigInteger b -> Kind.INT;
            case Double d -> Kind.FLOAT;
            case Float f -> Kind.FLOAT;
            case BigDecimal b -> Kind.FLOAT;
            case CharSequence s -> Kind.STRING;
            case Collection<?> c -> Kind.SLICE;
            case Map<?, ?> m -> Kind.MAP;
            case GoStruct s -> Kind.STRUCT;
            case Record r -> Kind.STRUCT;
            case java.util.function.Function<?, ?> f -> Kind.FUNC;
            case java.util.function.Supplier<?> f -> Kind.FUNC;
            case java.util.function.BiFunction<?, ?, ?> f -> Kind.FUNC;
            default -> v.getClass().isArray() ? Kind.SLICE : Kind.OTHER;
        };
    }

    /** The Go type name used in error messages. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "interface {}";
            case NoValue n -> "<nil>";
            case GoNil.Pointer p -> "*" + p.typeName();
            case Boolean b -> "bool";
            case Long l -> "int";
            case Integer i -> "int";
            case Short s -> "int16";
            case Byte b -> "uint8";
            case BigInteger b -> "*big.Int";
            case Double d -> "float64";
            case Float f -> "float32";
            case BigDecimal b -> "float64";
            case CharSequence s -> "string";
            case Collection<?> c -> !c.isEmpty() && c.stream().allMatch(e -> e instanceof CharSequence)
                ? "[]string" : "[]interface {}";
            case Map<?, ?> m -> "map[string]interface {}";
            case GoStruct s -> s.typeName();
            default -> v.getClass().isArray() ? "[]" + v.getClass().getComponentType().getSimpleName()
                : v.getClass().getSimpleName();
        };
    }

    /** Go's truth: false, zero, nil and empty strings, slices and maps are false; structs are true. */
    static boolean isTrue(Object v) {
        return switch (v) {
            case null -> false;
            case NoValue n -> false;
            case GoNil.Pointer p -> false;
            case Boolean b -> b;
            case BigInteger b -> b.signum() != 0;
            case BigDecimal b -> b.signum() != 0;
            case Number n -> n.doubleValue() != 0;
            case CharSequence s -> !s.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> !v.getClass().isArray() || Array.getLength(v) > 0;
        };
    }

    /** The elements of a slice (List, Collection or array). */
    static List<Object> elements(Object v) {
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        int n = Array.getLength(v);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Array.get(v, i));
        }
        return out;
    }

    /** A map's entries in Go's sorted key order (numbers numerically, strings by code unit). */
    static List<Map.Entry<Object, Object>> sortedEntries(Map<?, ?> map) {
        List<Map.Entry<Object, Object>> out = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
        }
        out.sort((x, y) -> compareKeys(x.getKey(), y.getKey()));
        return out;
    }

    private static int compareKeys(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** The named fields of a struct-like value in declaration order (GoStruct fields or record components). */
    static Map<String, Object> structFields(Object v) {
        if (v instanceof GoStruct s) {
            return s.fields();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent c : v.getClass().getRecordComponents()) {
            try {
                var accessor = c.getAccessor();
                accessor.trySetAccessible();
                fields.put(c.getName(), accessor.invoke(v));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + v.getClass().getName(), e);
            }
        }
        return fields;
    }
}
