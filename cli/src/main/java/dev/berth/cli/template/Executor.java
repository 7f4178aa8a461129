package dev.berth.cli.template;

import dev.berth.cli.template.Node.ActionNode;
import dev.berth.cli.template.Node.BoolNode;
import dev.berth.cli.template.Node.BranchNode;
import dev.berth.cli.template.Node.BreakNode;
import dev.berth.cli.template.Node.ChainNode;
import dev.berth.cli.template.Node.CommandNode;
import dev.berth.cli.template.Node.ContinueNode;
import dev.berth.cli.template.Node.DotNode;
import dev.berth.cli.template.Node.FieldNode;
import dev.berth.cli.template.Node.IdentifierNode;
import dev.berth.cli.template.Node.ListNode;
import dev.berth.cli.template.Node.NilNode;
import dev.berth.cli.template.Node.NumberNode;
import dev.berth.cli.template.Node.PipeNode;
import dev.berth.cli.template.Node.StringNode;
import dev.berth.cli.template.Node.TemplateNode;
import dev.berth.cli.template.Node.TextNode;
import dev.berth.cli.template.Node.VariableNode;
import dev.berth.cli.template.Values.Kind;
import dev.berth.cli.template.Values.NoValue;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a parse tree against data, as Go's text/template exec.go does: one executor per execution, holding the
 * output, the variable stack and the node being evaluated (for error messages).
 */
final class Executor {
    /** Go's limit on nested {{template}} calls. */
    static final int MAX_DEPTH = 100_000;

    private enum Flow { NORMAL, BREAK, CONTINUE }

    /** Marks "no value piped in from the previous command". */
    private enum Final { NONE }

    private static final class Variable {
        final String name;
        Object value;

        Variable(String name, Object value) {
            this.name = name;
            this.value = value;
        }
    }

    private final String text;
    private final Map<String, ListNode> trees;
    private final boolean missingKeyError;
    private final boolean header;
    private final StringBuilder out;
    private List<Variable> vars = new ArrayList<>();
    private String templateName = "";
    private Node at;
    private int depth;

    Executor(String text, Map<String, ListNode> trees, boolean missingKeyError, boolean header, StringBuilder out) {
        this.text = text;
        this.trees = trees;
        this.missingKeyError = missingKeyError;
        this.header = header;
        this.out = out;
    }

    void execute(Object data) throws TemplateException {
        Object dot = data == null ? NoValue.INSTANCE : data;
        vars.add(new Variable("$", dot));
        ListNode root = trees.get("");
        if (root == null) {
            throw new TemplateException("template: : \"\" is an incomplete or empty template");
        }
        walk(dot, root);
    }

    private Flow walk(Object dot, Node node) throws TemplateException {
        at = node;
        switch (node) {
            case ActionNode a -> {
                Object value = evalPipeline(dot, a.pipe());
                if (a.pipe().decls().isEmpty()) {
                    at = a;
                    out.append(GoFmt.printAction(value));
                }
            }
            case BreakNode b -> {
                return Flow.BREAK;
            }
            case ContinueNode c -> {
                return Flow.CONTINUE;
            }
            case BranchNode b when b.keyword().equals("range") -> {
                return walkRange(dot, b);
            }
            case BranchNode b -> {
                return walkIfOrWith(dot, b);
            }
            case ListNode l -> {
                for (Node n : l.nodes()) {
                    Flow flow = walk(dot, n);
                    if (flow != Flow.NORMAL) {
                        return flow;
                    }
                }
            }
            case TemplateNode t -> walkTemplate(dot, t);
            case TextNode t -> out.append(t.text());
            default -> throw error("unknown node: " + node);
        }
        return Flow.NORMAL;
    }

    private Flow walkIfOrWith(Object dot, BranchNode b) throws TemplateException {
        int mark = vars.size();
        try {
            Object value = evalPipeline(dot, b.pipe());
            if (Values.isTrue(value)) {
                return walk(b.keyword().equals("with") ? value : dot, b.list());
            }
            return b.elseList() == null ? Flow.NORMAL : walk(dot, b.elseList());
        } finally {
            pop(mark);
        }
    }

    private Flow walkRange(Object dot, BranchNode r) throws TemplateException {
        at = r;
        int outer = vars.size();
        try {
            Object value = evalPipeline(dot, r.pipe());
            int mark = vars.size();
            boolean ran = false;
            switch (Values.kind(value)) {
                case SLICE -> {
                    List<Object> elements = Values.elements(value);
                    for (int i = 0; i < elements.size(); i++) {
                        ran = true;
                        if (iteration(r, mark, (long) i, elements.get(i)) == Flow.BREAK) {
                            break;
                        }
                    }
                }
                case MAP -> {
                    for (Map.Entry<Object, Object> e : Values.sortedEntries((Map<?, ?>) value)) {
                        ran = true;
                        if (iteration(r, mark, e.getKey(), e.getValue()) == Flow.BREAK) {
                            break;
                        }
                    }
                }
                case INT -> {
                    if (r.pipe().decls().size() > 1) {
                        throw error("can't use " + GoFmt.value(value, false)
                            + " to iterate over more than one variable");
                    }
                    long n = ((Number) value).longValue();
                    for (long i = 0; i < n; i++) {
                        ran = true;
                        if (iteration(r, mark, i, i) == Flow.BREAK) {
                            break;
                        }
                    }
                }
                case NIL -> {
                    // Go ranges over nothing for a missing value or nil map: not an error.
                }
                default -> throw error("range can't iterate over " + GoFmt.value(value, false));
            }
            if (!ran && r.elseList() != null) {
                walk(dot, r.elseList());
            }
            return Flow.NORMAL;
        } finally {
            pop(outer);
        }
    }

    private Flow iteration(BranchNode r, int mark, Object index, Object element) throws TemplateException {
        List<VariableNode> decls = r.pipe().decls();
        if (!decls.isEmpty()) {
            if (r.pipe().isAssign()) {
                setVar(decls.getFirst().idents().getFirst(), decls.size() > 1 ? index : element);
                if (decls.size() > 1) {
                    setVar(decls.get(1).idents().getFirst(), element);
                }
            } else {
                vars.get(vars.size() - 1).value = element;
                if (decls.size() > 1) {
                    vars.get(vars.size() - 2).value = index;
                }
            }
        }
        try {
            Flow flow = walk(element, r.list());
            return flow == Flow.BREAK ? Flow.BREAK : Flow.NORMAL;
        } finally {
            pop(mark);
        }
    }

    private void walkTemplate(Object dot, TemplateNode t) throws TemplateException {
        at = t;
        ListNode tree = trees.get(t.name());
        if (tree == null) {
            throw error("template " + GoStrings.quote(t.name()) + " not defined");
        }
        if (depth >= MAX_DEPTH) {
            throw error("exceeded maximum template depth (" + MAX_DEPTH + ")");
        }
        Object newDot = t.pipe() == null ? NoValue.INSTANCE : evalPipeline(dot, t.pipe());
        List<Variable> savedVars = vars;
        String savedName = templateName;
        vars = new ArrayList<>(List.of(new Variable("$", newDot)));
        templateName = t.name();
        depth++;
        try {
            walk(newDot, tree);
        } finally {
            depth--;
            vars = savedVars;
            templateName = savedName;
        }
    }

    private Object evalPipeline(Object dot, PipeNode pipe) throws TemplateException {
        at = pipe;
        Object value = Final.NONE;
        for (CommandNode cmd : pipe.cmds()) {
            value = evalCommand(dot, cmd, value);
            if (value == null) {
                // Go unwraps a nil interface{} into an invalid value here ("lovely!" in exec.go).
                value = NoValue.INSTANCE;
            }
        }
        for (VariableNode v : pipe.decls()) {
            if (pipe.isAssign()) {
                setVar(v.idents().getFirst(), value);
            } else {
                vars.add(new Variable(v.idents().getFirst(), value));
            }
        }
        return value;
    }

    private Object evalCommand(Object dot, CommandNode cmd, Object fin) throws TemplateException {
        Node first = cmd.args().getFirst();
        switch (first) {
            case FieldNode f -> {
                at = f;
                return evalFieldChain(dot, dot, f.idents(), cmd.args(), fin);
            }
            case ChainNode c -> {
                return evalChain(dot, c, cmd.args(), fin);
            }
            case IdentifierNode id -> {
                return evalFunction(dot, id, cmd, fin);
            }
            case PipeNode p -> {
                notAFunction(cmd.args(), fin);
                return evalPipeline(dot, p);
            }
            case VariableNode v -> {
                return evalVariable(dot, v, cmd.args(), fin);
            }
            default -> {
            }
        }
        at = first;
        notAFunction(cmd.args(), fin);
        return switch (first) {
            case BoolNode b -> b.value();
            case DotNode d -> dot;
            case NilNode n -> throw error("nil is not a command");
            case NumberNode n -> n.value();
            case StringNode s -> s.value();
            default -> throw error("can't evaluate command " + GoStrings.quote(first.toString()));
        };
    }

    private void notAFunction(List<Node> args, Object fin) throws TemplateException {
        if (args.size() > 1 || fin != Final.NONE) {
            throw error("can't give argument to non-function " + args.getFirst());
        }
    }

    private Object evalChain(Object dot, ChainNode chain, List<Node> args, Object fin) throws TemplateException {
        at = chain;
        if (chain.node() instanceof NilNode) {
            throw error("indirection through explicit nil in " + chain);
        }
        // Go leaves the error position wherever evaluating the chained term last put it.
        Object receiver = evalArg(dot, chain.node());
        return evalFieldChain(dot, receiver, chain.fields(), args, fin);
    }

    private Object evalVariable(Object dot, VariableNode v, List<Node> args, Object fin) throws TemplateException {
        at = v;
        Object value = varValue(v.idents().getFirst());
        if (v.idents().size() == 1) {
            notAFunction(args, fin);
            return value;
        }
        return evalFieldChain(dot, value, v.idents().subList(1, v.idents().size()), args, fin);
    }

    private Object evalFieldChain(Object dot, Object receiver, List<String> idents, List<Node> args, Object fin)
        throws TemplateException {
        Node node = at;
        for (int i = 0; i < idents.size() - 1; i++) {
            receiver = evalField(dot, idents.get(i), node, List.of(), Final.NONE, receiver);
        }
        return evalField(dot, idents.getLast(), node, args, fin, receiver);
    }

    private Object evalField(Object dot, String name, Node node, List<Node> args, Object fin, Object receiver)
        throws TemplateException {
        if (receiver instanceof NoValue) {
            if (missingKeyError) {
                throw error("nil data; no entry for key " + GoStrings.quote(name));
            }
            return NoValue.INSTANCE;
        }
        if (receiver == null) {
            throw error("nil pointer evaluating interface {}." + name);
        }
        if (receiver instanceof GoNil.Pointer p) {
            throw error("nil pointer evaluating *" + p.typeName() + "." + name);
        }
        boolean hasArgs = args.size() > 1 || fin != Final.NONE;
        switch (receiver) {
            case GoStruct s -> {
                if (s.has(name)) {
                    if (hasArgs) {
                        throw error(name + " has arguments but cannot be invoked as function");
                    }
                    return s.get(name);
                }
            }
            case Map<?, ?> m -> {
                if (hasArgs) {
                    throw error(name + " is not a method but has arguments");
                }
                if (m.containsKey(name)) {
                    return m.get(name);
                }
                if (missingKeyError) {
                    throw error("map has no entry for key " + GoStrings.quote(name));
                }
                return NoValue.INSTANCE;
            }
            default -> {
                Kind kind = Values.kind(receiver);
                if (kind == Kind.STRUCT || kind == Kind.OTHER) {
                    List<Method> methods = methods(receiver, name);
                    if (!methods.isEmpty()) {
                        return callMethod(dot, receiver, methods, name, node, args, fin);
                    }
                    Field field = publicField(receiver, name);
                    if (field != null) {
                        if (hasArgs) {
                            throw error(name + " has arguments but cannot be invoked as function");
                        }
                        try {
                            return field.get(receiver);
                        } catch (IllegalAccessException e) {
                            throw error(name + " is an unexported field of struct type " + Values.typeName(receiver));
                        }
                    }
                }
            }
        }
        throw error("can't evaluate field " + name + " in type " + Values.typeName(receiver));
    }

    /** A class's public instance methods by name; Class.getMethods copies every Method at each call. */
    private static final ClassValue<Map<String, List<Method>>> METHODS = new ClassValue<>() {
        @Override
        protected Map<String, List<Method>> computeValue(Class<?> type) {
            Map<String, List<Method>> byName = new HashMap<>();
            for (Method m : type.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class) {
                    byName.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(m);
                }
            }
            return byName;
        }
    };

    private static List<Method> methods(Object receiver, String name) {
        return METHODS.get(receiver.getClass()).getOrDefault(name, List.of());
    }

    private static Field publicField(Object receiver, String name) {
        try {
            Field f = receiver.getClass().getField(name);
            return Modifier.isStatic(f.getModifiers()) ? null : f;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private Object callMethod(Object dot, Object receiver, List<Method> methods, String name, Node node,
        List<Node> args, Object fin) throws TemplateException {
        List<Object> values = new ArrayList<>();
        for (Node arg : args.subList(Math.min(1, args.size()), args.size())) {
            values.add(argValue(evalArg(dot, arg)));
        }
        if (fin != Final.NONE) {
            values.add(argValue(fin));
        }
        Method method = methods.stream().filter(m -> m.getParameterCount() == values.size()).findFirst()
            .orElse(null);
        if (method == null) {
            at = node;
            throw error("wrong number of args for " + name + ": want " + methods.getFirst().getParameterCount()
                + " got " + values.size());
        }
        Object[] javaArgs = new Object[values.size()];
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < javaArgs.length; i++) {
            javaArgs[i] = convert(values.get(i), types[i]);
        }
        try {
            method.trySetAccessible();
            return method.invoke(receiver, javaArgs);
        } catch (InvocationTargetException e) {
            at = node;
            throw error("error calling " + name + ": " + e.getCause().getMessage());
        } catch (IllegalAccessException e) {
            at = node;
            throw error("error calling " + name + ": " + e.getMessage());
        }
    }

    /** Converts a template value to a Java parameter type, as Go's validateType does for function arguments. */
    private Object convert(Object value, Class<?> type) throws TemplateException {
        if (type == Object.class) {
            return value;
        }
        if (type == String.class && value instanceof CharSequence s) {
            return s.toString();
        }
        if (Values.kind(value) == Kind.INT && value instanceof Number n) {
            if (type == long.class || type == Long.class) {
                return n.longValue();
            }
            if (type == int.class || type == Integer.class) {
                return n.intValue();
            }
        }
        if ((type == double.class || type == Double.class) && value instanceof Number n) {
            return n.doubleValue();
        }
        if ((type == boolean.class || type == Boolean.class) && value instanceof Boolean b) {
            return b;
        }
        if (value != null && type.isInstance(value)) {
            return value;
        }
        throw error(Builtins.wrongType(type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
            .replace("integer", "int").replace("long", "int"), value).getMessage());
    }

    private Object evalFunction(Object dot, IdentifierNode id, CommandNode cmd, Object fin) throws TemplateException {
        at = id;
        String name = id.name();
        Builtins.Func func = Builtins.lookup(name, header);
        List<Node> argNodes = cmd.args().subList(1, cmd.args().size());
        int numArgs = argNodes.size() + (fin != Final.NONE ? 1 : 0);
        if (func.variadic() && numArgs < func.arity() - 1) {
            throw error("wrong number of args for " + name + ": want at least " + (func.arity() - 1) + " got "
                + numArgs);
        }
        if (!func.variadic() && numArgs != func.arity()) {
            throw error("wrong number of args for " + name + ": want " + func.arity() + " got " + numArgs);
        }
        if (name.equals("and") || name.equals("or")) {
            // and/or short-circuit: later arguments are not evaluated once the result is known.
            Object v = null;
            for (Node arg : argNodes) {
                v = argValue(evalArg(dot, arg));
                if (Values.isTrue(v) == name.equals("or")) {
                    return v;
                }
            }
            return fin != Final.NONE ? argValue(fin) : v;
        }
        List<Object> values = new ArrayList<>(numArgs);
        for (Node arg : argNodes) {
            values.add(typedArg(dot, arg, func.param(values.size())));
        }
        if (fin != Final.NONE) {
            values.add(validate(fin, func.param(values.size())));
        }
        try {
            return func.body().apply(values);
        } catch (Builtins.CallException e) {
            at = cmd;
            throw error("error calling " + name + ": " + e.getMessage());
        } catch (Builtins.ArgumentException e) {
            at = cmd;
            throw error(e.getMessage());
        } catch (RuntimeException e) {
            // Go recovers a panicking function and reports it the same way (safeCall in exec.go).
            at = cmd;
            throw error("error calling " + name + ": " + e.getMessage());
        }
    }

    /**
     * Evaluates a function argument for a parameter type, as Go's evalArg: literals must fit the type
     * ({@code expected integer; found "y"}), computed values are checked by {@link #validate}.
     */
    private Object typedArg(Object dot, Node arg, Builtins.Param param) throws TemplateException {
        if (!(arg instanceof StringNode || arg instanceof NumberNode || arg instanceof BoolNode
            || arg instanceof NilNode)) {
            return validate(evalArg(dot, arg), param);
        }
        at = arg;
        return switch (param) {
            case ANY -> evalArg(dot, arg);
            case STRING -> switch (arg) {
                case StringNode s -> s.value();
                case NilNode n -> throw error("cannot assign nil to string");
                default -> throw error("expected string; found " + arg);
            };
            case INT -> switch (arg) {
                case NumberNode n when n.value() instanceof Long l -> l;
                case NumberNode n when n.value() instanceof Double d && d == Math.rint(d) -> (long) (double) d;
                case NilNode n -> throw error("cannot assign nil to int");
                default -> throw error("expected integer; found " + arg);
            };
            case STRINGS -> {
                if (arg instanceof NilNode) {
                    yield null;
                }
                throw error("can't handle " + arg + " for arg of type []string");
            }
        };
    }

    /** Go's validateType: a computed value must have the parameter's type; a missing value becomes nil. */
    private Object validate(Object value, Builtins.Param param) throws TemplateException {
        Object v = argValue(value);
        boolean fits = switch (param) {
            case ANY -> true;
            case STRING -> v instanceof CharSequence;
            case INT -> Values.kind(v) == Kind.INT;
            case STRINGS -> v == null || Values.kind(v) == Kind.SLICE
                && Values.elements(v).stream().allMatch(e -> e instanceof CharSequence);
        };
        if (fits) {
            return v;
        }
        if (v == null) {
            throw error("invalid value; expected " + param.goName);
        }
        throw error("wrong type for value; expected " + param.goName + "; got " + Values.typeName(v));
    }

    /** A missing value passed to a function arrives as nil, as Go's validateType makes it. */
    private static Object argValue(Object v) {
        return v instanceof NoValue ? null : v;
    }

    private Object evalArg(Object dot, Node n) throws TemplateException {
        at = n;
        return switch (n) {
            case DotNode d -> dot;
            case NilNode nil -> null;
            case FieldNode f -> evalFieldChain(dot, dot, f.idents(), List.of(f), Final.NONE);
            case VariableNode v -> evalVariable(dot, v, List.of(v), Final.NONE);
            case PipeNode p -> evalPipeline(dot, p);
            case IdentifierNode id -> evalFunction(dot, id, new CommandNode(id.pos(), List.of(id)), Final.NONE);
            case ChainNode c -> evalChain(dot, c, List.of(c), Final.NONE);
            case BoolNode b -> b.value();
            case NumberNode num -> num.value();
            case StringNode s -> s.value();
            default -> throw error("can't handle " + n + " for arg");
        };
    }

    private Object varValue(String name) throws TemplateException {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name.equals(name)) {
                return vars.get(i).value;
            }
        }
        throw error("undefined variable: " + name);
    }

    private void setVar(String name, Object value) throws TemplateException {
        for (int i = vars.size() - 1; i >= 0; i--) {
            if (vars.get(i).name.equals(name)) {
                vars.get(i).value = value;
                return;
            }
        }
        throw error("undefined variable: " + name);
    }

    private void pop(int mark) {
        vars.subList(mark, vars.size()).clear();
    }

    /** An execution error worded as Go's: location, template name, the node being evaluated, the cause. */
    TemplateException error(String message) {
        if (at == null) {
            return new TemplateException("template: " + templateName + ": " + message);
        }
        int pos = Math.min(at.pos(), text.length());
        int lineStart = text.lastIndexOf('\n', pos - 1) + 1;
        int line = Lexer.line(text, pos);
        String context = at.toString();
        return new TemplateException("template: :" + line + ":" + (pos - lineStart) + ": executing "
            + GoStrings.quote(templateName) + " at <" + context + ">: " + message);
    }
}
