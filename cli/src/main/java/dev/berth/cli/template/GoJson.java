package dev.berth.cli.template;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's encoding/json as docker's {@code json} template function uses it: compact, struct fields in declaration
 * order, map keys sorted, HTML characters left alone (docker calls SetEscapeHTML(false)), U+2028 and U+2029
 * escaped, floats formatted like Go.
 */
final class GoJson {
    private GoJson() {
    }

    /** Encodes the value; throws IllegalArgumentException for values Go cannot encode (NaN, infinities). */
    static String encode(Object v) {
        StringBuilder out = new StringBuilder();
        write(out, v);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("null");
            case Values.NoValue n -> out.append("null");
            case GoNil.Slice n -> out.append("null");
            case GoNil.GoMap n -> out.append("null");
            case GoNil.Pointer n -> out.append("null");
            case Boolean b -> out.append(b);
            case Long l -> out.append(l);
            case Integer i -> out.append(i);
            case Short s -> out.append(s);
            case Byte b -> out.append(b);
            case BigInteger b -> out.append(b);
            case Double d -> out.append(number(d));
            case Float f -> out.append(number(Double.parseDouble(f.toString())));
            case BigDecimal b -> out.append(b.toString());
            case CharSequence s -> string(out, s.toString());
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<Object, Object> e : Values.sortedEntries(m)) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, String.valueOf(e.getKey()));
                    out.append(':');
                    write(out, e.getValue());
                }
                out.append('}');
            }
            case GoStruct s -> object(out, s.fields());
            case Record r -> object(out, Values.structFields(r));
            default -> {
                if (Values.kind(v) == Values.Kind.SLICE) {
                    out.append('[');
                    boolean first = true;
                    for (Object e : Values.elements(v)) {
                        if (!first) {
                            out.append(',');
                        }
                        first = false;
                        write(out, e);
                    }
                    out.append(']');
                } else {
                    object(out, getters(v));
                }
            }
        }
    }

    /**
     * A plain object's public no-argument methods by name, sorted: docker's formatter contexts marshal
     * themselves this way (a map from method name to value).
     */
    static Map<String, Object> getters(Object v) {
        Map<String, Object> fields = new TreeMap<>();
        for (Method m : v.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                || m.getDeclaringClass() == Object.class || m.getReturnType() == void.class
                || m.getName().equals("toString") || m.getName().equals("hashCode")) {
                continue;
            }
            try {
                m.trySetAccessible();
                fields.put(m.getName(), m.invoke(v));
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("json: error calling " + m.getName() + " for type "
                    + Values.typeName(v), e);
            }
        }
        return fields;
    }

    private static void object(StringBuilder out, Map<String, Object> fields) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(':');
            write(out, e.getValue());
        }
        out.append('}');
    }

    /** encoding/json float64: 'f' format, or 'e' below 1e-6 and from 1e21, exponent without a leading zero. */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("json: unsupported value: " + GoFloat.format(d, 'g', -1));
        }
        double abs = Math.abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String e = GoFloat.format(d, 'e', -1);
            int n = e.length();
            if (n >= 4 && e.charAt(n - 4) == 'e' && e.charAt(n - 3) == '-' && e.charAt(n - 2) == '0') {
                e = e.substring(0, n - 2) + e.charAt(n - 1);
            }
            return e;
        }
        return GoFloat.format(d, 'f', -1);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append("\\ufffd");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
