package dev.berth.cli.template;

import dev.berth.cli.template.Values.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The functions a template can call: Go's predefined ones and docker's (docker/cli templates/templates.go).
 * {@code and} and {@code or} are listed for parse-time checks but evaluated by the executor, because they
 * short-circuit. For table headers docker swaps some functions for ones that return their argument unchanged
 * ({@code HeaderFunctions}), so a header title goes through {@code {{upper .Names}}} untouched.
 */
final class Builtins {
    /** A failure inside a function; the executor reports it as {@code error calling NAME: MESSAGE}. */
    static final class CallException extends Exception {
        private static final long serialVersionUID = 1L;

        CallException(String message) {
            super(message);
        }
    }

    /** An argument of the wrong Go type; reported as is, like Go's {@code wrong type for value}. */
    static final class ArgumentException extends Exception {
        private static final long serialVersionUID = 1L;

        ArgumentException(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    interface Body {
        Object apply(List<Object> args) throws CallException, ArgumentException;
    }

    /** A Go parameter type, as far as argument checking needs it. */
    enum Param {
        ANY("interface {}"), STRING("string"), INT("int"), STRINGS("[]string");

        final String goName;

        Param(String goName) {
            this.goName = goName;
        }
    }

    /**
     * A function and its Go signature, e.g. {@code "string int int"} or {@code "any any..."} where the last
     * parameter may be variadic; Go checks argument counts and types against it before the call.
     */
    record Func(List<Param> params, boolean variadic, Body body) {
        static Func of(String signature, Body body) {
            List<Param> params = new ArrayList<>();
            boolean variadic = false;
            for (String p : signature.split(" ")) {
                if (p.isEmpty()) {
                    continue;
                }
                variadic = p.endsWith("...");
                params.add(switch (p.replace("...", "")) {
                    case "string" -> Param.STRING;
                    case "int" -> Param.INT;
                    case "[]string" -> Param.STRINGS;
                    default -> Param.ANY;
                });
            }
            return new Func(List.copyOf(params), variadic, body);
        }

        /** Go's NumIn: the variadic parameter counts as one. */
        int arity() {
            return params.size();
        }

        /** The type of the i-th argument. */
        Param param(int i) {
            return i < params.size() - 1 || !variadic ? params.get(Math.min(i, params.size() - 1))
                : params.getLast();
        }
    }

    private static final Map<String, Func> FUNCTIONS = Map.ofEntries(
        Map.entry("and", Func.of("any any...", args -> args.getLast())),
        Map.entry("or", Func.of("any any...", args -> args.getLast())),
        Map.entry("not", Func.of("any", args -> !Values.isTrue(args.getFirst()))),
        Map.entry("eq", Func.of("any any...", Comparisons::eq)),
        Map.entry("ne", Func.of("any any", args -> !Comparisons.eq(args))),
        Map.entry("lt", Func.of("any any", args -> Comparisons.lt(args.get(0), args.get(1)))),
        Map.entry("le", Func.of("any any", args -> Comparisons.le(args.get(0), args.get(1)))),
        Map.entry("gt", Func.of("any any", args -> !Comparisons.le(args.get(0), args.get(1)))),
        Map.entry("ge", Func.of("any any", args -> !Comparisons.lt(args.get(0), args.get(1)))),
        Map.entry("len", Func.of("any", args -> length(args.getFirst()))),
        Map.entry("index", Func.of("any any...", Builtins::index)),
        Map.entry("slice", Func.of("any any...", Builtins::slice)),
        Map.entry("print", Func.of("any...", GoFmt::sprint)),
        Map.entry("println", Func.of("any...", GoFmt::sprintln)),
        Map.entry("printf", Func.of("string any...", args -> GoFmt.sprintf(string(args, 0),
            args.subList(1, args.size())))),
        Map.entry("html", Func.of("any...", args -> Escapes.html(evalArgs(args)))),
        Map.entry("js", Func.of("any...", args -> Escapes.js(evalArgs(args)))),
        Map.entry("urlquery", Func.of("any...", args -> Escapes.query(evalArgs(args)))),
        Map.entry("call", Func.of("any any...", Builtins::call)),
        Map.entry("json", Func.of("any", Builtins::json)),
        Map.entry("split", Func.of("string string", args -> split(string(args, 0), string(args, 1)))),
        Map.entry("join", Func.of("[]string string", args -> String.join(string(args, 1), strings(args, 0)))),
        Map.entry("title", Func.of("string", args -> title(string(args, 0)))),
        Map.entry("lower", Func.of("string", args -> string(args, 0).toLowerCase(Locale.ROOT))),
        Map.entry("upper", Func.of("string", args -> string(args, 0).toUpperCase(Locale.ROOT))),
        Map.entry("pad", Func.of("string int int", args -> {
            String s = string(args, 0);
            int prefix = integer(args, 1);
            int suffix = integer(args, 2);
            if (prefix < 0 || suffix < 0) {
                throw new CallException("strings: negative Repeat count");
            }
            return s.isEmpty() ? s : " ".repeat(prefix) + s + " ".repeat(suffix);
        })),
        Map.entry("truncate", Func.of("string int", args -> truncate(string(args, 0), integer(args, 1)))));

    /** docker's HeaderFunctions: same names, the first (string) argument returned unchanged. */
    private static final Map<String, Func> HEADER_FUNCTIONS = Map.of(
        "json", Func.of("string", args -> string(args, 0)),
        "split", Func.of("string string", args -> string(args, 0)),
        "join", Func.of("string string", args -> string(args, 0)),
        "title", Func.of("string", args -> string(args, 0)),
        "lower", Func.of("string", args -> string(args, 0)),
        "upper", Func.of("string", args -> string(args, 0)),
        "truncate", Func.of("string int", args -> string(args, 0)));

    private Builtins() {
    }

    static boolean isDefined(String name) {
        return FUNCTIONS.containsKey(name);
    }

    /** The function for a name; in header mode docker's identity replacements where it has them. */
    static Func lookup(String name, boolean header) {
        return header && HEADER_FUNCTIONS.containsKey(name) ? HEADER_FUNCTIONS.get(name) : FUNCTIONS.get(name);
    }

    static String string(List<Object> args, int i) throws ArgumentException {
        Object v = args.get(i);
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        throw wrongType("string", v);
    }

    static int integer(List<Object> args, int i) throws ArgumentException {
        Object v = args.get(i);
        if (Values.kind(v) == Kind.INT && v instanceof Number n) {
            long value = n.longValue();
            if (value != (int) value) {
                throw new ArgumentException("value " + value + " out of range for int");
            }
            return (int) value;
        }
        throw wrongType("int", v);
    }

    private static List<String> strings(List<Object> args, int i) throws ArgumentException {
        Object v = args.get(i);
        if (v == null) {
            return List.of();
        }
        if (Values.kind(v) == Kind.SLICE) {
            List<String> out = new ArrayList<>();
            for (Object e : Values.elements(v)) {
                if (!(e instanceof CharSequence s)) {
                    throw wrongType("[]string", v);
                }
                out.add(s.toString());
            }
            return out;
        }
        throw wrongType("[]string", v);
    }

    static ArgumentException wrongType(String expected, Object got) {
        if (got == null) {
            return new ArgumentException("invalid value; expected " + expected);
        }
        return new ArgumentException("wrong type for value; expected " + expected + "; got "
            + Values.typeName(got));
    }

    /** Go's evalArgs for html, js and urlquery: a lone string as is, anything else through fmt.Sprint. */
    private static String evalArgs(List<Object> args) {
        if (args.size() == 1 && args.getFirst() instanceof CharSequence s) {
            return s.toString();
        }
        List<Object> printable = new ArrayList<>(args.size());
        for (Object arg : args) {
            printable.add(arg == null ? "<no value>" : arg);
        }
        return GoFmt.sprint(printable);
    }

    private static Object length(Object v) throws CallException {
        return switch (Values.kind(v)) {
            case NIL -> throw new CallException(v == null ? "reflect: call of reflect.Value.Type on zero Value"
                : "len of nil pointer");
            case STRING -> (long) v.toString().getBytes(StandardCharsets.UTF_8).length;
            case SLICE -> (long) Values.elements(v).size();
            case MAP -> (long) ((Map<?, ?>) v).size();
            default -> throw new CallException("len of type " + Values.typeName(v));
        };
    }

    private static Object index(List<Object> args) throws CallException {
        Object item = args.getFirst();
        if (Values.kind(item) == Kind.NIL) {
            throw new CallException("index of untyped nil");
        }
        for (Object index : args.subList(1, args.size())) {
            if (item == null) {
                throw new CallException("index of nil pointer");
            }
            switch (Values.kind(item)) {
                case SLICE -> {
                    List<Object> elements = Values.elements(item);
                    int i = indexArg(index, elements.size());
                    if (i == elements.size()) {
                        // Go's bound check lets the length through and reflect then panics.
                        throw new CallException("reflect: slice index out of range");
                    }
                    item = elements.get(i);
                }
                case STRING -> {
                    byte[] bytes = item.toString().getBytes(StandardCharsets.UTF_8);
                    int i = indexArg(index, bytes.length);
                    if (i == bytes.length) {
                        throw new CallException("reflect: string index out of range");
                    }
                    item = (long) (bytes[i] & 0xff);
                }
                case MAP -> {
                    if (!(index instanceof CharSequence) && !(index instanceof Number)) {
                        throw new CallException("value has type " + Values.typeName(index)
                            + "; should be string");
                    }
                    item = ((Map<?, ?>) item).get(index.toString());
                }
                default -> throw new CallException("can't index item of type " + Values.typeName(item));
            }
        }
        return item;
    }

    /** An index argument between 0 and max inclusive. */
    private static int indexArg(Object index, int max) throws CallException {
        if (index == null) {
            throw new CallException("cannot index slice/array with nil");
        }
        if (Values.kind(index) != Kind.INT) {
            throw new CallException("cannot index slice/array with type " + Values.typeName(index));
        }
        long x = ((Number) index).longValue();
        if (x < 0 || x > max) {
            throw new CallException("index out of range: " + x);
        }
        return (int) x;
    }

    private static Object slice(List<Object> args) throws CallException {
        Object item = args.getFirst();
        List<Object> indexes = args.subList(1, args.size());
        if (Values.kind(item) == Kind.NIL) {
            throw new CallException("slice of untyped nil");
        }
        if (indexes.size() > 3) {
            throw new CallException("too many slice indexes: " + indexes.size());
        }
        boolean isString = Values.kind(item) == Kind.STRING;
        if (!isString && Values.kind(item) != Kind.SLICE) {
            throw new CallException("can't slice item of type " + Values.typeName(item));
        }
        if (isString && indexes.size() == 3) {
            throw new CallException("cannot 3-index slice a string");
        }
        byte[] bytes = isString ? item.toString().getBytes(StandardCharsets.UTF_8) : null;
        List<Object> elements = isString ? null : Values.elements(item);
        int length = isString ? bytes.length : elements.size();
        int[] idx = {0, length, length};
        for (int i = 0; i < indexes.size(); i++) {
            idx[i] = indexArg(indexes.get(i), length);
        }
        if (idx[0] > idx[1]) {
            throw new CallException("invalid slice index: " + idx[0] + " > " + idx[1]);
        }
        if (indexes.size() == 3 && idx[1] > idx[2]) {
            throw new CallException("invalid slice index: " + idx[1] + " > " + idx[2]);
        }
        if (isString) {
            return new String(bytes, idx[0], idx[1] - idx[0], StandardCharsets.UTF_8);
        }
        return new ArrayList<>(elements.subList(idx[0], idx[1]));
    }

    @SuppressWarnings("unchecked")
    private static Object call(List<Object> args) throws CallException {
        Object fn = args.getFirst();
        List<Object> params = args.subList(1, args.size());
        try {
            return switch (fn) {
                case null -> throw new CallException("call of nil");
                case Supplier<?> s when params.isEmpty() -> s.get();
                case Function<?, ?> f when params.size() == 1 -> ((Function<Object, Object>) f).apply(params.get(0));
                case BiFunction<?, ?, ?> f when params.size() == 2 ->
                    ((BiFunction<Object, Object, Object>) f).apply(params.get(0), params.get(1));
                case Supplier<?> s -> throw new CallException("wrong number of args for call: want 0 got "
                    + params.size());
                case Function<?, ?> f -> throw new CallException("wrong number of args for call: want 1 got "
                    + params.size());
                case BiFunction<?, ?, ?> f -> throw new CallException("wrong number of args for call: want 2 got "
                    + params.size());
                default -> throw new CallException("non-function of type " + Values.typeName(fn));
            };
        } catch (RuntimeException e) {
            throw new CallException(String.valueOf(e.getMessage()));
        }
    }

    private static Object json(List<Object> args) {
        try {
            return GoJson.encode(args.getFirst());
        } catch (IllegalArgumentException e) {
            // docker ignores the encoder's error and prints what was written: nothing.
            return "";
        }
    }

    private static List<String> split(String s, String sep) {
        List<String> out = new ArrayList<>();
        if (sep.isEmpty()) {
            s.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
            return out;
        }
        int start = 0;
        int at;
        while ((at = s.indexOf(sep, start)) >= 0) {
            out.add(s.substring(start, at));
            start = at + sep.length();
        }
        out.add(s.substring(start));
        return out;
    }

    /** strings.Title: upper-case the first letter of each word, leave the rest alone. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int prev = ' ';
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            out.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(c) : c);
            prev = c;
        }
        return out.toString();
    }

    private static boolean isSeparator(int c) {
        if (c <= 0x7f) {
            return !(Character.isLetterOrDigit(c) || c == '_');
        }
        return !Character.isLetterOrDigit(c) && Character.isWhitespace(c);
    }

    /** docker's truncate: the first {@code length} bytes when the string is at least that long. */
    private static String truncate(String s, int length) throws CallException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < length) {
            return s;
        }
        if (length < 0) {
            throw new CallException("slice bounds out of range [:" + length + "]");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** Go's comparison functions: basic kinds only, integers and floats never compared with each other. */
    static final class Comparisons {
        private Comparisons() {
        }

        static boolean eq(List<Object> args) throws CallException {
            Object a = args.getFirst();
            if (args.size() < 2) {
                throw new CallException("missing argument for comparison");
            }
            Kind ka = Values.kind(a);
            for (Object b : args.subList(1, args.size())) {
                Kind kb = Values.kind(b);
                if (ka != kb) {
                    if (ka != Kind.NIL && kb != Kind.NIL) {
                        throw new CallException("incompatible types for comparison");
                    }
                    continue;
                }
                boolean truth = switch (ka) {
                    case NIL -> true;
                    case BOOL, STRING -> a.toString().equals(b.toString());
                    case INT, FLOAT -> new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
                    case SLICE, MAP, FUNC -> throw new CallException("non-comparable type " + GoFmt.value(a, false)
                        + ": " + Values.typeName(a));
                    default -> a.equals(b);
                };
                if (truth) {
                    return true;
                }
            }
            return false;
        }

        static boolean lt(Object a, Object b) throws CallException {
            Kind ka = basicKind(a);
            Kind kb = basicKind(b);
            if (ka != kb) {
                throw new CallException("incompatible types for comparison");
            }
            return switch (ka) {
                case INT, FLOAT -> new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) < 0;
                case STRING -> a.toString().compareTo(b.toString()) < 0;
                default -> throw new CallException("invalid type for comparison");
            };
        }

        static boolean le(Object a, Object b) throws CallException {
            return lt(a, b) || eq(List.of(a, b));
        }

        private static Kind basicKind(Object v) throws CallException {
            Kind k = Values.kind(v);
            if (k == Kind.INT || k == Kind.FLOAT || k == Kind.STRING || k == Kind.BOOL) {
                return k;
            }
            throw new CallException("invalid type for comparison");
        }
    }
}
