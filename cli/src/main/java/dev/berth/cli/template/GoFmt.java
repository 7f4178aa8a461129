package dev.berth.cli.template;

import dev.berth.cli.template.Values.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Go's fmt package for template values: %v printing, Sprint, Sprintln and Sprintf. */
final class GoFmt {
    private GoFmt() {
    }

    /** How an action prints its final value: a missing or nil value is "<no value>", anything else %v. */
    static String printAction(Object v) {
        return v == null || v instanceof Values.NoValue ? "<no value>" : value(v, false);
    }

    /** %v (or %+v when {@code plus}) of a value; nil inside containers is "<nil>". */
    static String value(Object v, boolean plus) {
        return switch (v) {
            case null -> "<nil>";
            case Values.NoValue n -> "<nil>";
            case GoNil.Pointer p -> "<nil>";
            case CharSequence s -> s.toString();
            case Double d -> GoFloat.format(d, 'g', -1);
            case Float f -> GoFloat.format(Double.parseDouble(f.toString()), 'g', -1);
            case BigDecimal b -> GoFloat.format(b.doubleValue(), 'g', -1);
            case Map<?, ?> m -> {
                StringJoiner out = new StringJoiner(" ", "map[", "]");
                for (Map.Entry<Object, Object> e : Values.sortedEntries(m)) {
                    out.add(value(e.getKey(), plus) + ":" + value(e.getValue(), plus));
                }
                yield out.toString();
            }
            case GoStruct s -> struct(s.fields(), plus);
            case Record r -> struct(Values.structFields(r), plus);
            default -> {
                if (Values.kind(v) == Kind.SLICE) {
                    StringJoiner out = new StringJoiner(" ", "[", "]");
                    for (Object e : Values.elements(v)) {
                        out.add(value(e, plus));
                    }
                    yield out.toString();
                }
                yield v.toString();
            }
        };
    }

    private static String struct(Map<String, Object> fields, boolean plus) {
        StringJoiner out = new StringJoiner(" ", "{", "}");
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            out.add(plus ? f.getKey() + ":" + value(f.getValue(), true) : value(f.getValue(), false));
        }
        return out.toString();
    }

    /** fmt.Sprint: operands joined with a space when neither side is a string. */
    static String sprint(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            boolean isString = arg instanceof CharSequence;
            if (i > 0 && !isString && !(args.get(i - 1) instanceof CharSequence)) {
                out.append(' ');
            }
            out.append(value(arg, false));
        }
        return out.toString();
    }

    /** fmt.Sprintln: operands always separated by spaces, newline appended. */
    static String sprintln(List<Object> args) {
        StringJoiner out = new StringJoiner(" ", "", "\n");
        for (Object arg : args) {
            out.add(value(arg, false));
        }
        return out.toString();
    }

    /** fmt.Sprintf with the verbs templates use: v s q d x X o b c e E f F g G t T and %%. */
    static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argIndex = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            Spec spec = new Spec();
            while (i < format.length() && "+-# 0".indexOf(format.charAt(i)) >= 0) {
                switch (format.charAt(i++)) {
                    case '+' -> spec.plus = true;
                    case '-' -> spec.minus = true;
                    case '#' -> spec.sharp = true;
                    case ' ' -> spec.space = true;
                    default -> spec.zero = true;
                }
            }
            if (i < format.length() && format.charAt(i) == '*') {
                i++;
                spec.width = argIndex < args.size() && args.get(argIndex) instanceof Number n ? n.intValue() : -1;
                argIndex++;
            } else {
                int start = i;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                spec.width = i > start ? Integer.parseInt(format.substring(start, i)) : -1;
            }
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                if (i < format.length() && format.charAt(i) == '*') {
                    i++;
                    spec.precision = argIndex < args.size() && args.get(argIndex) instanceof Number n
                        ? n.intValue() : -1;
                    argIndex++;
                } else {
                    int start = i;
                    while (i < format.length() && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                    spec.precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
                }
            }
            if (i >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argIndex >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(spec.pad(formatOne(verb, args.get(argIndex++), spec)));
        }
        if (argIndex < args.size()) {
            StringJoiner extra = new StringJoiner(", ", "%!(EXTRA ", ")");
            for (Object arg : args.subList(argIndex, args.size())) {
                extra.add(arg == null ? "<nil>" : Values.typeName(arg) + "=" + value(arg, false));
            }
            out.append(extra);
        }
        return out.toString();
    }

    private static final class Spec {
        boolean plus;
        boolean minus;
        boolean sharp;
        boolean space;
        boolean zero;
        int width = -1;
        int precision = -1;
        boolean numeric;

        String pad(String s) {
            int length = s.codePointCount(0, s.length());
            if (width <= length) {
                return s;
            }
            String fill = (zero && !minus && numeric ? "0" : " ").repeat(width - length);
            if (minus) {
                return s + fill;
            }
            if (fill.startsWith("0") && (s.startsWith("-") || s.startsWith("+"))) {
                return s.charAt(0) + fill + s.substring(1);
            }
            return fill + s;
        }
    }

    private static String formatOne(char verb, Object arg, Spec spec) {
        Kind kind = Values.kind(arg);
        if (verb != 'v' && verb != 'T' && (kind == Kind.SLICE || kind == Kind.MAP || kind == Kind.STRUCT)) {
            return composite(verb, arg, spec);
        }
        switch (verb) {
            case 'v' -> {
                spec.numeric = kind == Kind.INT || kind == Kind.FLOAT;
                return kind == Kind.FLOAT ? signed(value(arg, false), spec) : value(arg, spec.plus);
            }
            case 'T' -> {
                return arg == null ? "<nil>" : Values.typeName(arg);
            }
            case 's' -> {
                if (kind == Kind.STRING) {
                    return truncate(arg.toString(), spec.precision);
                }
                if (kind == Kind.OTHER) {
                    return value(arg, false);
                }
            }
            case 'q' -> {
                if (kind == Kind.STRING) {
                    String quoted = GoStrings.quote(truncate(arg.toString(), spec.precision));
                    return spec.plus ? asciiOnly(quoted) : quoted;
                }
                if (kind == Kind.INT) {
                    return "'" + new String(Character.toChars(((Number) arg).intValue())) + "'";
                }
            }
            case 't' -> {
                if (kind == Kind.BOOL) {
                    return arg.toString();
                }
            }
            case 'd', 'b', 'o', 'x', 'X', 'c', 'U' -> {
                if (kind == Kind.INT) {
                    spec.numeric = true;
                    return integer(verb, new BigInteger(arg.toString()), spec);
                }
                if ((verb == 'x' || verb == 'X') && kind == Kind.STRING) {
                    String hex = HexFormat.of().formatHex(arg.toString().getBytes(StandardCharsets.UTF_8));
                    return verb == 'X' ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
                }
            }
            case 'e', 'E', 'f', 'F', 'g', 'G' -> {
                if (kind == Kind.FLOAT) {
                    spec.numeric = true;
                    char fmt = verb == 'F' ? 'f' : verb;
                    int precision = spec.precision >= 0 ? spec.precision : (verb == 'g' || verb == 'G') ? -1 : 6;
                    return signed(GoFloat.format(((Number) arg).doubleValue(), fmt, precision), spec);
                }
            }
            default -> {
                return "%!" + verb + "(" + Values.typeName(arg) + "=" + value(arg, false) + ")";
            }
        }
        return arg == null ? "%!" + verb + "(<nil>)"
            : "%!" + verb + "(" + Values.typeName(arg) + "=" + value(arg, false) + ")";
    }

    /** fmt applies a verb to each element of a slice, map or struct. */
    private static String composite(char verb, Object arg, Spec spec) {
        StringJoiner out;
        if (arg instanceof Map<?, ?> m) {
            out = new StringJoiner(" ", "map[", "]");
            for (Map.Entry<Object, Object> e : Values.sortedEntries(m)) {
                out.add(formatOne(verb, e.getKey(), spec) + ":" + formatOne(verb, e.getValue(), spec));
            }
        } else if (Values.kind(arg) == Kind.STRUCT) {
            out = new StringJoiner(" ", "{", "}");
            for (Object field : Values.structFields(arg).values()) {
                out.add(formatOne(verb, field, spec));
            }
        } else {
            out = new StringJoiner(" ", "[", "]");
            for (Object e : Values.elements(arg)) {
                out.add(formatOne(verb, e, spec));
            }
        }
        return out.toString();
    }

    /** %+q: strconv.QuoteToASCII, escaping every non-ASCII character of an already quoted string. */
    private static String asciiOnly(String quoted) {
        StringBuilder out = new StringBuilder(quoted.length());
        quoted.codePoints().forEach(c -> {
            if (c < 0x80) {
                out.append((char) c);
            } else if (c < 0x10000) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append(String.format("\\U%08x", c));
            }
        });
        return out.toString();
    }

    private static String signed(String number, Spec spec) {
        if (number.startsWith("-")) {
            return number;
        }
        return spec.plus ? "+" + number : spec.space ? " " + number : number;
    }

    private static String integer(char verb, BigInteger n, Spec spec) {
        String digits = switch (verb) {
            case 'b' -> n.abs().toString(2);
            case 'o' -> (spec.sharp ? "0" : "") + n.abs().toString(8);
            case 'x' -> (spec.sharp ? "0x" : "") + n.abs().toString(16);
            case 'X' -> (spec.sharp ? "0X" : "") + n.abs().toString(16).toUpperCase(java.util.Locale.ROOT);
            case 'c' -> new String(Character.toChars(n.intValue()));
            case 'U' -> String.format("U+%04X", n.intValue());
            default -> n.abs().toString();
        };
        if (verb == 'c' || verb == 'U') {
            return digits;
        }
        if (spec.precision >= 0 && digits.length() < spec.precision) {
            digits = "0".repeat(spec.precision - digits.length()) + digits;
        }
        return n.signum() < 0 ? "-" + digits : signed(digits, spec);
    }

    private static String truncate(String s, int precision) {
        if (precision < 0 || s.codePointCount(0, s.length()) <= precision) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, precision));
    }
}
