package dev.berth.cli.template;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The parse tree, one record per node type of Go's text/template/parse. {@link #toString()} renders a node as
 * Go does, because execution errors quote it ({@code executing "" at <.Foo>}); {@link #pos()} is its offset in
 * the template text, for the line and column of those errors.
 */
sealed interface Node {
    int pos();

    record ListNode(int pos, List<Node> nodes) implements Node {
        @Override
        public String toString() {
            return nodes.stream().map(Node::toString).collect(Collectors.joining());
        }
    }

    record TextNode(int pos, String text) implements Node {
        @Override
        public String toString() {
            return GoStrings.quote(text);
        }
    }

    record ActionNode(int pos, PipeNode pipe) implements Node {
        @Override
        public String toString() {
            return "{{" + pipe + "}}";
        }
    }

    /** {@code if}, {@code with} and {@code range}: a pipeline, a body and an optional else body. */
    record BranchNode(String keyword, int pos, PipeNode pipe, ListNode list, ListNode elseList) implements Node {
        @Override
        public String toString() {
            String body = "{{" + keyword + " " + pipe + "}}" + list;
            return elseList == null ? body + "{{end}}" : body + "{{else}}" + elseList + "{{end}}";
        }
    }

    record TemplateNode(int pos, String name, PipeNode pipe) implements Node {
        @Override
        public String toString() {
            return pipe == null ? "{{template " + GoStrings.quote(name) + "}}"
                : "{{template " + GoStrings.quote(name) + " " + pipe + "}}";
        }
    }

    record BreakNode(int pos) implements Node {
        @Override
        public String toString() {
            return "{{break}}";
        }
    }

    record ContinueNode(int pos) implements Node {
        @Override
        public String toString() {
            return "{{continue}}";
        }
    }

    record PipeNode(int pos, boolean isAssign, List<VariableNode> decls, List<CommandNode> cmds) implements Node {
        @Override
        public String toString() {
            String prefix = decls.isEmpty() ? ""
                : decls.stream().map(Node::toString).collect(Collectors.joining(", ")) + (isAssign ? " = " : " := ");
            return prefix + cmds.stream().map(Node::toString).collect(Collectors.joining(" | "));
        }
    }

    record CommandNode(int pos, List<Node> args) implements Node {
        @Override
        public String toString() {
            return args.stream().map(a -> a instanceof PipeNode ? "(" + a + ")" : a.toString())
                .collect(Collectors.joining(" "));
        }
    }

    record FieldNode(int pos, List<String> idents) implements Node {
        @Override
        public String toString() {
            return idents.stream().map(i -> "." + i).collect(Collectors.joining());
        }
    }

    /** A variable and the fields read from it: idents {@code ["$x", "A", "B"]} for {@code $x.A.B}. */
    record VariableNode(int pos, List<String> idents) implements Node {
        @Override
        public String toString() {
            return String.join(".", idents);
        }
    }

    /** Fields read from a term that is not a field or variable, e.g. {@code (index .A 0).Name}. */
    record ChainNode(int pos, Node node, List<String> fields) implements Node {
        @Override
        public String toString() {
            String base = node instanceof PipeNode ? "(" + node + ")" : node.toString();
            return base + fields.stream().map(f -> "." + f).collect(Collectors.joining());
        }
    }

    record IdentifierNode(int pos, String name) implements Node {
        @Override
        public String toString() {
            return name;
        }
    }

    record DotNode(int pos) implements Node {
        @Override
        public String toString() {
            return ".";
        }
    }

    record NilNode(int pos) implements Node {
        @Override
        public String toString() {
            return "nil";
        }
    }

    record BoolNode(int pos, boolean value) implements Node {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** A number literal; {@code value} is a Long for integers and characters, a Double otherwise. */
    record NumberNode(int pos, String text, Object value) implements Node {
        @Override
        public String toString() {
            return text;
        }
    }

    record StringNode(int pos, String quoted, String value) implements Node {
        @Override
        public String toString() {
            return quoted;
        }
    }
}
