package dev.berth.cli.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits template text into tokens the way Go's text/template lexer does: text between actions, and inside
 * {@code {{ }}} the operands, keywords and punctuation. Trim markers ({@code {{- } and { -}}}) are applied here by
 * trimming the neighbouring text; comments are dropped. Instead of Go's space items each token remembers whether
 * whitespace preceded it, which is all the parser needs to tell {@code $x.A} from {@code $x .A}.
 */
final class Lexer {
    enum Kind {
        TEXT, LEFT_DELIM, RIGHT_DELIM, EOF,
        IDENTIFIER, FIELD, VARIABLE, DOT, NIL, BOOL, NUMBER, CHAR_CONSTANT, STRING, RAW_STRING,
        PIPE, DECLARE, ASSIGN, LEFT_PAREN, RIGHT_PAREN, CHAR,
        KEYWORD
    }

    /** One token; {@code pos} is the offset in the template text, {@code spaceBefore} whether whitespace preceded it. */
    record Token(Kind kind, String text, int pos, boolean spaceBefore) {
        /** Go's item String(): how the parser names an unexpected token in its errors. */
        String describe() {
            return switch (kind) {
                case EOF -> "EOF";
                case KEYWORD, DOT, NIL -> "<" + text + ">";
                case RIGHT_DELIM -> "\"}}\"";
                case LEFT_DELIM -> "\"{{\"";
                default -> text.length() > 10 ? GoStrings.quote(text.substring(0, 10)) + "..." : GoStrings.quote(text);
            };
        }
    }

    private static final Set<String> KEYWORDS = Set.of(
        "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with");

    private final String input;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int parenDepth;

    private Lexer(String input) {
        this.input = input;
    }

    static List<Token> lex(String input) throws TemplateException {
        Lexer lexer = new Lexer(input);
        lexer.run();
        return lexer.tokens;
    }

    private void run() throws TemplateException {
        boolean trimLeadingSpace = false;
        while (true) {
            int open = input.indexOf("{{", pos);
            int textEnd = open < 0 ? input.length() : open;
            int textStart = pos;
            if (trimLeadingSpace) {
                while (textStart < textEnd && isSpace(input.charAt(textStart))) {
                    textStart++;
                }
            }
            boolean trimBefore = open >= 0 && open + 3 < input.length()
                && input.charAt(open + 2) == '-' && isSpace(input.charAt(open + 3));
            int trimmedEnd = textEnd;
            if (trimBefore) {
                while (trimmedEnd > textStart && isSpace(input.charAt(trimmedEnd - 1))) {
                    trimmedEnd--;
                }
            }
            if (trimmedEnd > textStart) {
                tokens.add(new Token(Kind.TEXT, input.substring(textStart, trimmedEnd), textStart, false));
            }
            if (open < 0) {
                tokens.add(new Token(Kind.EOF, "", input.length(), false));
                return;
            }
            pos = open + 2 + (trimBefore ? 2 : 0);
            trimLeadingSpace = input.startsWith("/*", pos) ? comment(open) : action(open);
        }
    }

    /** Skips a comment action; returns whether it ended with a right trim marker. */
    private boolean comment(int open) throws TemplateException {
        int end = input.indexOf("*/", pos + 2);
        if (end < 0) {
            throw error(open, "unclosed comment");
        }
        pos = end + 2;
        boolean trim = hasRightTrimMarker();
        if (trim) {
            pos += 2;
        }
        if (!input.startsWith("}}", pos)) {
            throw error(open, "comment ends before closing delimiter");
        }
        pos += 2;
        return trim;
    }

    /** Lexes the inside of one action; returns whether it ended with a right trim marker. */
    private boolean action(int open) throws TemplateException {
        tokens.add(new Token(Kind.LEFT_DELIM, "{{", open, false));
        boolean space = false;
        while (true) {
            if (hasRightTrimMarker() || input.startsWith("}}", pos)) {
                if (parenDepth > 0) {
                    throw error(pos, "unclosed left paren");
                }
                boolean trim = hasRightTrimMarker();
                int at = trim ? pos + 2 : pos;
                tokens.add(new Token(Kind.RIGHT_DELIM, "}}", at, space));
                pos = at + 2;
                return trim;
            }
            if (pos >= input.length()) {
                throw error(pos, "unclosed action");
            }
            char c = input.charAt(pos);
            if (isSpace(c)) {
                pos++;
                space = true;
                continue;
            }
            int start = pos;
            Kind kind;
            switch (c) {
                case '=' -> {
                    pos++;
                    kind = Kind.ASSIGN;
                }
                case ':' -> {
                    if (!input.startsWith(":=", pos)) {
                        throw error(pos, "expected :=");
                    }
                    pos += 2;
                    kind = Kind.DECLARE;
                }
                case '|' -> {
                    pos++;
                    kind = Kind.PIPE;
                }
                case '"' -> kind = quoted(start);
                case '`' -> kind = rawQuoted(start);
                case '\'' -> kind = charConstant(start);
                case '$' -> {
                    pos++;
                    kind = fieldOrVariable(Kind.VARIABLE);
                }
                case '(' -> {
                    pos++;
                    parenDepth++;
                    kind = Kind.LEFT_PAREN;
                }
                case ')' -> {
                    pos++;
                    parenDepth--;
                    if (parenDepth < 0) {
                        throw error(start, "unexpected right paren");
                    }
                    kind = Kind.RIGHT_PAREN;
                }
                default -> {
                    if (c == '.' && !(pos + 1 < input.length() && isDigit(input.charAt(pos + 1)))) {
                        pos++;
                        kind = fieldOrVariable(Kind.FIELD);
                    } else if (c == '.' || c == '+' || c == '-' || isDigit(c)) {
                        kind = number(start);
                    } else if (isAlphaNumeric(c)) {
                        kind = identifier();
                    } else if (c < 0x7f && c >= 0x20) {
                        pos++;
                        kind = Kind.CHAR;
                    } else {
                        throw error(start, "unrecognized character in action: " + GoStrings.unicodeName(c));
                    }
                }
            }
            String text = input.substring(start, pos);
            if (kind == Kind.IDENTIFIER && KEYWORDS.contains(text)) {
                kind = Kind.KEYWORD;
            } else if (kind == Kind.IDENTIFIER && (text.equals("true") || text.equals("false"))) {
                kind = Kind.BOOL;
            } else if (kind == Kind.IDENTIFIER && text.equals("nil")) {
                kind = Kind.NIL;
            }
            tokens.add(new Token(kind, text, start, space));
            space = false;
        }
    }

    private boolean hasRightTrimMarker() {
        return pos < input.length() && isSpace(input.charAt(pos)) && input.startsWith("-}}", pos + 1);
    }

    private Kind fieldOrVariable(Kind kind) throws TemplateException {
        if (atTerminator()) {
            return kind == Kind.FIELD ? Kind.DOT : Kind.VARIABLE;
        }
        while (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
            pos++;
        }
        if (!atTerminator()) {
            throw error(pos, "bad character " + GoStrings.unicodeName(input.charAt(pos)));
        }
        return kind;
    }

    private Kind identifier() throws TemplateException {
        while (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
            pos++;
        }
        if (!atTerminator()) {
            throw error(pos, "bad character " + GoStrings.unicodeName(input.charAt(pos)));
        }
        return Kind.IDENTIFIER;
    }

    private boolean atTerminator() {
        if (pos >= input.length()) {
            return true;
        }
        char c = input.charAt(pos);
        return isSpace(c) || ".,|:()".indexOf(c) >= 0 || input.startsWith("}}", pos);
    }

    private Kind number(int start) throws TemplateException {
        scanNumber(start);
        if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
            // Go reads 1+2i as one complex constant: a signed number ending in 'i' must follow.
            scanNumber(start);
            if (input.charAt(pos - 1) != 'i') {
                throw error(start, "bad number syntax: " + GoStrings.quote(input.substring(start, pos)));
            }
        }
        return Kind.NUMBER;
    }

    private void scanNumber(int start) throws TemplateException {
        if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
            pos++;
        }
        String digits = "0123456789_";
        if (input.startsWith("0x", pos) || input.startsWith("0X", pos)) {
            pos += 2;
            digits = "0123456789abcdefABCDEF_";
        } else if (input.startsWith("0o", pos) || input.startsWith("0O", pos)) {
            pos += 2;
            digits = "01234567_";
        } else if (input.startsWith("0b", pos) || input.startsWith("0B", pos)) {
            pos += 2;
            digits = "01_";
        }
        accept(digits);
        if (pos < input.length() && input.charAt(pos) == '.') {
            pos++;
            accept(digits);
        }
        if (digits.length() == 11 && pos < input.length() && "eE".indexOf(input.charAt(pos)) >= 0) {
            pos++;
            if (pos < input.length() && "+-".indexOf(input.charAt(pos)) >= 0) {
                pos++;
            }
            accept("0123456789_");
        }
        if (digits.length() == 23 && pos < input.length() && "pP".indexOf(input.charAt(pos)) >= 0) {
            pos++;
            if (pos < input.length() && "+-".indexOf(input.charAt(pos)) >= 0) {
                pos++;
            }
            accept("0123456789_");
        }
        accept("i");
        if (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
            pos++;
            throw error(start, "bad number syntax: " + GoStrings.quote(input.substring(start, pos)));
        }
    }

    private void accept(String valid) {
        while (pos < input.length() && valid.indexOf(input.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private Kind quoted(int start) throws TemplateException {
        pos++;
        while (true) {
            if (pos >= input.length() || input.charAt(pos) == '\n') {
                throw error(start, "unterminated quoted string");
            }
            char c = input.charAt(pos++);
            if (c == '\\') {
                if (pos >= input.length() || input.charAt(pos) == '\n') {
                    throw error(start, "unterminated quoted string");
                }
                pos++;
            } else if (c == '"') {
                return Kind.STRING;
            }
        }
    }

    private Kind rawQuoted(int start) throws TemplateException {
        int end = input.indexOf('`', pos + 1);
        if (end < 0) {
            throw error(start, "unterminated raw quoted string");
        }
        pos = end + 1;
        return Kind.RAW_STRING;
    }

    private Kind charConstant(int start) throws TemplateException {
        pos++;
        while (true) {
            if (pos >= input.length() || input.charAt(pos) == '\n') {
                throw error(start, "unterminated character constant");
            }
            char c = input.charAt(pos++);
            if (c == '\\') {
                if (pos >= input.length() || input.charAt(pos) == '\n') {
                    throw error(start, "unterminated character constant");
                }
                pos++;
            } else if (c == '\'') {
                return Kind.CHAR_CONSTANT;
            }
        }
    }

    private TemplateException error(int at, String message) {
        return TemplateException.parse("", line(input, at), message);
    }

    static int line(String text, int pos) {
        int line = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlphaNumeric(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
