package dev.berth.cli.template;

import dev.berth.cli.template.Lexer.Kind;
import dev.berth.cli.template.Lexer.Token;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser following Go's text/template/parse: builds the main tree and every tree named by
 * {@code define} or {@code block}, checks at parse time that functions exist and variables are declared.
 */
final class Parser {
    /** What ended an item list: {@code {{end}}}, {@code {{else}}} or the end of input. */
    private record Terminator(String keyword, int pos) {
        @Override
        public String toString() {
            return "{{" + keyword + "}}";
        }
    }

    private record ItemList(ListNode list, Terminator end) {
    }

    private final String text;
    private final List<Token> tokens;
    private final Map<String, ListNode> trees;
    private int next;
    private List<String> vars = new ArrayList<>(List.of("$"));
    private int rangeDepth;

    private Parser(String text, List<Token> tokens, Map<String, ListNode> trees) {
        this.text = text;
        this.tokens = tokens;
        this.trees = trees;
    }

    /** Parses the text; the main template is stored under the name "". */
    static Map<String, ListNode> parse(String text) throws TemplateException {
        Map<String, ListNode> trees = new LinkedHashMap<>();
        Parser parser = new Parser(text, Lexer.lex(text), trees);
        ListNode root = parser.root();
        parser.add("", root);
        return trees;
    }

    private ListNode root() throws TemplateException {
        List<Node> nodes = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            if (peek().kind() == Kind.LEFT_DELIM && tokens.get(next + 1).kind() == Kind.KEYWORD
                && tokens.get(next + 1).text().equals("define")) {
                next += 2;
                definition();
                continue;
            }
            Object item = textOrAction();
            if (item instanceof Terminator t) {
                throw error(t.pos(), "unexpected " + t);
            }
            nodes.add((Node) item);
        }
        return new ListNode(0, nodes);
    }

    private void definition() throws TemplateException {
        Token name = nextToken();
        if (name.kind() != Kind.STRING && name.kind() != Kind.RAW_STRING) {
            throw unexpected(name, "define clause");
        }
        expect(Kind.RIGHT_DELIM, "define clause");
        List<String> saved = vars;
        vars = new ArrayList<>(List.of("$"));
        ItemList body = itemList();
        vars = saved;
        if (!body.end().keyword().equals("end")) {
            throw error(body.end().pos(), "unexpected " + body.end() + " in define clause");
        }
        add(unquote(name), body.list());
    }

    private void add(String name, ListNode root) throws TemplateException {
        ListNode existing = trees.get(name);
        if (existing != null && !isEmpty(existing) && !isEmpty(root)) {
            throw error(root.pos(), "template: multiple definition of template " + GoStrings.quote(name));
        }
        if (existing == null || isEmpty(existing)) {
            trees.put(name, root);
        }
    }

    private static boolean isEmpty(ListNode list) {
        return list.nodes().stream().allMatch(n -> n instanceof TextNode t && t.text().isBlank());
    }

    private ItemList itemList() throws TemplateException {
        List<Node> nodes = new ArrayList<>();
        int start = peek().pos();
        while (peek().kind() != Kind.EOF) {
            Object item = textOrAction();
            if (item instanceof Terminator t) {
                return new ItemList(new ListNode(start, nodes), t);
            }
            nodes.add((Node) item);
        }
        throw error(peek().pos(), "unexpected EOF");
    }

    /** A node, or a Terminator for {{end}} and {{else}}. */
    private Object textOrAction() throws TemplateException {
        Token token = nextToken();
        return switch (token.kind()) {
            case TEXT -> new TextNode(token.pos(), token.text());
            case LEFT_DELIM -> action();
            default -> throw unexpected(token, "input");
        };
    }

    private Object action() throws TemplateException {
        Token token = peek();
        if (token.kind() == Kind.KEYWORD) {
            next++;
            return switch (token.text()) {
                case "block" -> blockControl();
                case "break" -> loopControl(token, "break");
                case "continue" -> loopControl(token, "continue");
                case "else" -> elseControl(token);
                case "end" -> new Terminator("end", expect(Kind.RIGHT_DELIM, "end").pos());
                case "if" -> branch("if", token);
                case "range" -> branch("range", token);
                case "with" -> branch("with", token);
                case "template" -> templateControl();
                default -> throw unexpected(token, "input");
            };
        }
        return new ActionNode(token.pos(), pipeline("command", Kind.RIGHT_DELIM));
    }

    private Node loopControl(Token token, String keyword) throws TemplateException {
        Token end = nextToken();
        if (end.kind() != Kind.RIGHT_DELIM) {
            throw unexpected(end, "{{" + keyword + "}}");
        }
        if (rangeDepth == 0) {
            throw error(token.pos(), "{{" + keyword + "}} outside {{range}}");
        }
        return keyword.equals("break") ? new BreakNode(token.pos()) : new ContinueNode(token.pos());
    }

    private Terminator elseControl(Token token) throws TemplateException {
        Token peek = peek();
        if (peek.kind() == Kind.KEYWORD && (peek.text().equals("if") || peek.text().equals("with"))) {
            // "else if" and "else with" leave the keyword pending for branch() to nest a new control.
            return new Terminator("else", peek.pos());
        }
        expect(Kind.RIGHT_DELIM, "else");
        return new Terminator("else", token.pos());
    }

    private BranchNode branch(String keyword, Token token) throws TemplateException {
        int savedVars = vars.size();
        PipeNode pipe = pipeline(keyword, Kind.RIGHT_DELIM);
        if (keyword.equals("range")) {
            rangeDepth++;
        }
        ItemList body = itemList();
        if (keyword.equals("range")) {
            rangeDepth--;
        }
        ListNode elseList = null;
        if (body.end().keyword().equals("else")) {
            Token peek = peek();
            if (peek.kind() == Kind.KEYWORD && peek.text().equals(keyword)
                && (keyword.equals("if") || keyword.equals("with"))) {
                next++;
                // {{else if b}} is {{else}}{{if b}}...{{end}}{{end}} with the inner end implied.
                elseList = new ListNode(body.end().pos(), List.of(branch(keyword, peek)));
            } else {
                ItemList otherwise = itemList();
                if (!otherwise.end().keyword().equals("end")) {
                    throw error(otherwise.end().pos(), "expected end; found " + otherwise.end());
                }
                elseList = otherwise.list();
            }
        }
        vars.subList(savedVars, vars.size()).clear();
        return new BranchNode(keyword, token.pos(), pipe, body.list(), elseList);
    }

    private TemplateNode templateControl() throws TemplateException {
        Token name = nextToken();
        if (name.kind() != Kind.STRING && name.kind() != Kind.RAW_STRING) {
            throw unexpected(name, "template clause");
        }
        PipeNode pipe = null;
        if (peek().kind() != Kind.RIGHT_DELIM) {
            pipe = pipeline("template clause", Kind.RIGHT_DELIM);
        } else {
            next++;
        }
        return new TemplateNode(name.pos(), unquote(name), pipe);
    }

    private TemplateNode blockControl() throws TemplateException {
        Token name = nextToken();
        if (name.kind() != Kind.STRING && name.kind() != Kind.RAW_STRING) {
            throw unexpected(name, "block clause");
        }
        PipeNode pipe = pipeline("block clause", Kind.RIGHT_DELIM);
        List<String> saved = vars;
        int savedDepth = rangeDepth;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        ItemList body = itemList();
        vars = saved;
        rangeDepth = savedDepth;
        if (!body.end().keyword().equals("end")) {
            throw error(body.end().pos(), "unexpected " + body.end() + " in block clause");
        }
        add(unquote(name), body.list());
        return new TemplateNode(name.pos(), unquote(name), pipe);
    }

    private PipeNode pipeline(String context, Kind end) throws TemplateException {
        int pos = peek().pos();
        List<VariableNode> decls = new ArrayList<>();
        boolean isAssign = false;
        while (peek().kind() == Kind.VARIABLE) {
            Token variable = peek();
            Token after = tokens.get(next + 1);
            if (after.kind() == Kind.ASSIGN || after.kind() == Kind.DECLARE) {
                next += 2;
                isAssign = after.kind() == Kind.ASSIGN;
                decls.add(new VariableNode(variable.pos(), List.of(variable.text())));
                vars.add(variable.text());
                break;
            }
            if (after.kind() == Kind.CHAR && after.text().equals(",")) {
                next += 2;
                decls.add(new VariableNode(variable.pos(), List.of(variable.text())));
                vars.add(variable.text());
                if (context.equals("range") && decls.size() < 2) {
                    Kind following = peek().kind();
                    if (following == Kind.VARIABLE || following == Kind.RIGHT_DELIM
                        || following == Kind.RIGHT_PAREN) {
                        continue;
                    }
                    throw error(peek().pos(), "range can only initialize variables");
                }
                throw error(variable.pos(), "too many declarations in " + context);
            }
            break;
        }
        List<CommandNode> cmds = new ArrayList<>();
        while (true) {
            Token token = nextToken();
            if (token.kind() == end) {
                PipeNode pipe = new PipeNode(pos, isAssign, List.copyOf(decls), List.copyOf(cmds));
                checkPipeline(pipe, context, token);
                return pipe;
            }
            switch (token.kind()) {
                case BOOL, CHAR_CONSTANT, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE,
                     LEFT_PAREN -> {
                    next--;
                    cmds.add(command());
                }
                default -> throw unexpected(token, context);
            }
        }
    }

    private void checkPipeline(PipeNode pipe, String context, Token end) throws TemplateException {
        if (pipe.cmds().isEmpty()) {
            throw error(end.pos(), "missing value for " + context);
        }
        for (int i = 1; i < pipe.cmds().size(); i++) {
            Node first = pipe.cmds().get(i).args().getFirst();
            if (first instanceof BoolNode || first instanceof DotNode || first instanceof NilNode
                || first instanceof NumberNode || first instanceof StringNode) {
                throw error(first.pos(), "non executable command in pipeline stage " + (i + 1));
            }
        }
    }

    private CommandNode command() throws TemplateException {
        int pos = peek().pos();
        List<Node> args = new ArrayList<>();
        while (true) {
            Node operand = operand();
            if (operand != null) {
                args.add(operand);
            }
            Token token = peek();
            if (token.kind() == Kind.RIGHT_DELIM || token.kind() == Kind.RIGHT_PAREN) {
                break;
            }
            if (token.kind() == Kind.PIPE) {
                next++;
                break;
            }
            if (operand == null || !token.spaceBefore()) {
                next++;
                throw unexpected(token, "operand");
            }
        }
        if (args.isEmpty()) {
            throw error(pos, "empty command");
        }
        return new CommandNode(pos, List.copyOf(args));
    }

    private Node operand() throws TemplateException {
        Node node = term();
        if (node == null) {
            return null;
        }
        if (peek().kind() == Kind.FIELD && !peek().spaceBefore()) {
            // Go positions the resulting node at its first trailing field, and so do its error messages.
            int pos = peek().pos();
            List<String> fields = new ArrayList<>();
            while (peek().kind() == Kind.FIELD && !peek().spaceBefore()) {
                fields.add(nextToken().text().substring(1));
            }
            return switch (node) {
                case FieldNode f -> new FieldNode(pos, concat(f.idents(), fields));
                case VariableNode v -> new VariableNode(pos, concat(v.idents(), fields));
                case BoolNode b -> throw error(b.pos(), "unexpected . after term " + GoStrings.quote(b.toString()));
                case StringNode s -> throw error(s.pos(), "unexpected . after term " + GoStrings.quote(s.toString()));
                case NumberNode n -> throw error(n.pos(), "unexpected . after term " + GoStrings.quote(n.toString()));
                case NilNode n -> throw error(n.pos(), "unexpected . after term " + GoStrings.quote(n.toString()));
                case DotNode d -> throw error(d.pos(), "unexpected . after term " + GoStrings.quote(d.toString()));
                default -> new ChainNode(pos, node, List.copyOf(fields));
            };
        }
        return node;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private Node term() throws TemplateException {
        Token token = nextToken();
        return switch (token.kind()) {
            case IDENTIFIER -> {
                if (!Builtins.isDefined(token.text())) {
                    throw error(token.pos(), "function " + GoStrings.quote(token.text()) + " not defined");
                }
                yield new IdentifierNode(token.pos(), token.text());
            }
            case DOT -> new DotNode(token.pos());
            case NIL -> new NilNode(token.pos());
            case VARIABLE -> {
                if (!vars.contains(token.text())) {
                    throw error(token.pos(), "undefined variable " + GoStrings.quote(token.text()));
                }
                yield new VariableNode(token.pos(), List.of(token.text()));
            }
            case FIELD -> new FieldNode(token.pos(), List.of(token.text().substring(1)));
            case BOOL -> new BoolNode(token.pos(), token.text().equals("true"));
            case NUMBER, CHAR_CONSTANT -> new NumberNode(token.pos(), token.text(), number(token));
            case LEFT_PAREN -> pipeline("parenthesized pipeline", Kind.RIGHT_PAREN);
            case STRING, RAW_STRING -> new StringNode(token.pos(), token.text(), unquote(token));
            default -> {
                if (token.kind() != Kind.EOF) {
                    next--;
                }
                yield null;
            }
        };
    }

    private Object number(Token token) throws TemplateException {
        String text = token.text();
        if (token.kind() == Kind.CHAR_CONSTANT) {
            String value = GoStrings.unquote(text, '\'');
            if (value == null || value.codePointCount(0, value.length()) != 1) {
                throw error(token.pos(), "malformed character constant: " + text);
            }
            return (long) value.codePointAt(0);
        }
        Object value = GoStrings.parseNumber(text);
        if (value == null) {
            throw error(token.pos(), "illegal number syntax: " + GoStrings.quote(text));
        }
        return value;
    }

    private String unquote(Token token) throws TemplateException {
        if (token.kind() == Kind.RAW_STRING) {
            return token.text().substring(1, token.text().length() - 1);
        }
        String value = GoStrings.unquote(token.text(), '"');
        if (value == null) {
            throw error(token.pos(), "invalid syntax");
        }
        return value;
    }

    private Token expect(Kind kind, String context) throws TemplateException {
        Token token = nextToken();
        if (token.kind() != kind) {
            throw unexpected(token, context);
        }
        return token;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token nextToken() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.EOF) {
            next++;
        }
        return token;
    }

    private TemplateException unexpected(Token token, String context) {
        return error(token.pos(), "unexpected " + token.describe() + " in " + context);
    }

    private TemplateException error(int pos, String message) {
        return TemplateException.parse("", Lexer.line(text, pos), message);
    }
}
