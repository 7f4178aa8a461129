package dev.berth.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker's word processing for the instructions that expand variables (ADD, COPY, ENV, EXPOSE, FROM, LABEL, STOPSIGNAL,
 * USER, VOLUME, WORKDIR, ARG): quotes are removed ('...' literal, "..." expanding), the escape character protects the
 * next character, and {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}}, {@code ${VAR:+word}},
 * {@code ${VAR+word}}, {@code ${VAR:?message}} expand from the given environment; unset variables expand to nothing.
 */
public final class ShellLex {
    private final String text;
    private final Map<String, String> env;
    private final char escape;
    private int pos;

    private ShellLex(String text, Map<String, String> env, char escape) {
        this.text = text;
        this.env = env;
        this.escape = escape;
    }

    /** The word with quotes removed and variables expanded (whitespace kept). */
    public static String word(String text, Map<String, String> env, char escape) throws BuildException {
        List<String> out = new ShellLex(text, env, escape).run(false, '\0');
        return out.isEmpty() ? "" : out.getFirst();
    }

    /** Like {@link #word}, then split on unquoted whitespace, including whitespace that expansions produced. */
    public static List<String> words(String text, Map<String, String> env, char escape) throws BuildException {
        return new ShellLex(text, env, escape).run(true, '\0');
    }

    /**
     * Splits on unquoted whitespace without removing quotes or expanding: how ENV, LABEL and ARG find their
     * {@code key=value} pairs before each pair is processed as a word.
     */
    public static List<String> rawWords(String text, char escape) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            cur.append(c);
            if (c == escape && quote != '\'' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Reads until the end, or until {@code stop} at this level (the '}' closing a modifier word). */
    private List<String> run(boolean split, char stop) throws BuildException {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (stop != 0 && c == stop) {
                break;
            }
            if (c == escape) {
                pos++;
                if (pos < text.length()) {
                    cur.append(text.charAt(pos++));
                }
                inWord = true;
            } else if (c == '\'') {
                cur.append(singleQuoted());
                inWord = true;
            } else if (c == '"') {
                cur.append(doubleQuoted());
                inWord = true;
            } else if (c == '$') {
                String value = dollar();
                if (split) {
                    for (int i = 0; i < value.length(); i++) {
                        char v = value.charAt(i);
                        if (Character.isWhitespace(v)) {
                            if (inWord) {
                                words.add(cur.toString());
                                cur.setLength(0);
                                inWord = false;
                            }
                        } else {
                            cur.append(v);
                            inWord = true;
                        }
                    }
                } else {
                    cur.append(value);
                    inWord = true;
                }
            } else if (split && Character.isWhitespace(c)) {
                pos++;
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                pos++;
                inWord = true;
            }
        }
        if (inWord || !split) {
            words.add(cur.toString());
        }
        return words;
    }

    private String singleQuoted() throws BuildException {
        int end = text.indexOf('\'', pos + 1);
        if (end < 0) {
            throw new BuildException("unexpected end of statement while looking for matching single-quote");
        }
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return s;
    }

    private String doubleQuoted() throws BuildException {
        StringBuilder out = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c == '$') {
                out.append(dollar());
            } else if (c == escape && pos + 1 < text.length()
                    && (text.charAt(pos + 1) == '"' || text.charAt(pos + 1) == '$' || text.charAt(pos + 1) == escape)) {
                out.append(text.charAt(pos + 1));
                pos += 2;
            } else {
                out.append(c);
                pos++;
            }
        }
        throw new BuildException("unexpected end of statement while looking for matching double-quote");
    }

    /** At a '$': the expansion, or a literal '$' when no name follows. */
    private String dollar() throws BuildException {
        pos++;
        if (pos >= text.length()) {
            return "$";
        }
        if (text.charAt(pos) != '{') {
            String name = name();
            return name.isEmpty() ? "$" : env.getOrDefault(name, "");
        }
        pos++;
        String name = name();
        if (name.isEmpty()) {
            throw new BuildException("bad substitution: " + text);
        }
        if (pos >= text.length()) {
            throw new BuildException("syntax error: missing '}'");
        }
        char c = text.charAt(pos);
        if (c == '}') {
            pos++;
            return env.getOrDefault(name, "");
        }
        boolean colon = c == ':';
        if (colon) {
            pos++;
        }
        if (pos >= text.length()) {
            throw new BuildException("syntax error: missing '}'");
        }
        char modifier = text.charAt(pos++);
        if (modifier != '-' && modifier != '+' && modifier != '?') {
            throw new BuildException("unsupported modifier (" + modifier + ") in substitution");
        }
        String word = wordUntilBrace();
        String value = env.get(name);
        boolean set = value != null && (!colon || !value.isEmpty());
        return switch (modifier) {
            case '-' -> set ? value : word;
            case '+' -> set ? word : "";
            default -> {
                if (!set) {
                    throw new BuildException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                }
                yield value;
            }
        };
    }

    private String name() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** The modifier word of {@code ${VAR:-word}}, itself expanded, up to its closing brace. */
    private String wordUntilBrace() throws BuildException {
        String w = run(false, '}').getFirst();
        if (pos >= text.length()) {
            throw new BuildException("syntax error: missing '}'");
        }
        pos++;
        return w;
    }
}
