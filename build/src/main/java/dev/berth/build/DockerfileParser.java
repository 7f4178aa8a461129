package dev.berth.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dockerfile syntax, as Docker's parser reads it: parser directives at the very top ({@code # syntax=} accepted,
 * {@code # escape=} honoured), comments, line continuations with the escape character (comment and empty lines inside
 * a continuation are skipped), keywords in any case, leading {@code --flags}, exec (JSON) form and here-documents.
 * Variables are not expanded here: which instructions expand them, and with which values, is the builder's business.
 */
public final class DockerfileParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern HEREDOC = Pattern.compile("<<(-?)\\s*(?:\"([^\"]+)\"|'([^']+)'|([a-zA-Z_][a-zA-Z0-9_]*))");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("RUN", "COPY", "ADD");
    /** The options each instruction accepts; other instructions take none. */
    private static final Map<String, Set<String>> FLAGS = Map.of(
            "FROM", Set.of("platform"),
            "RUN", Set.of("mount", "network", "security"),
            "COPY", Set.of("from", "chown", "chmod", "link", "parents", "exclude"),
            "ADD", Set.of("chown", "chmod", "checksum", "keep-git-dir", "link", "exclude"),
            "HEALTHCHECK", Set.of("interval", "timeout", "start-period", "start-interval", "retries"));
    static final Set<String> KEYWORDS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
            "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");

    private DockerfileParser() {}

    public static Dockerfile parse(String text) throws BuildException {
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        char escape = '\\';
        int i = 0;
        Set<String> seen = new HashSet<>();
        for (; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i].strip());
            if (!m.matches()) {
                break;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (!name.equals("escape") && !name.equals("syntax") && !name.equals("check")) {
                break; // an ordinary comment that looks like a directive ends the directives, as in Docker
            }
            if (!seen.add(name)) {
                throw BuildException.parse(i + 1, "only one " + name + " parser directive can be used");
            }
            if (name.equals("escape")) {
                String value = m.group(2);
                if (!value.equals("`") && !value.equals("\\")) {
                    throw BuildException.parse(i + 1, "invalid escape token '" + value + "' does not match ` or \\");
                }
                escape = value.charAt(0);
            }
        }
        List<Instruction> out = new ArrayList<>();
        while (i < lines.length) {
            String first = lines[i].strip();
            if (first.isEmpty() || first.startsWith("#")) {
                i++;
                continue;
            }
            int start = i + 1;
            StringBuilder joined = new StringBuilder();
            String line = stripEnd(lines[i]).stripLeading();
            i++;
            while (line.endsWith(String.valueOf(escape))) {
                joined.append(line, 0, line.length() - 1);
                line = null;
                while (i < lines.length) {
                    String next = lines[i++];
                    String trimmed = next.strip();
                    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                        continue; // skipped inside a continuation
                    }
                    line = stripEnd(next);
                    break;
                }
                if (line == null) {
                    line = "";
                    break;
                }
            }
            joined.append(line);
            String full = joined.toString().strip();
            Instruction parsed = instruction(full, start, escape);
            if (HEREDOC_INSTRUCTIONS.contains(parsed.keyword()) && !parsed.isJson()) {
                List<Instruction.Heredoc> docs = new ArrayList<>();
                Matcher h = HEREDOC.matcher(parsed.args());
                while (h.find()) {
                    boolean chomp = !h.group(1).isEmpty();
                    String name = h.group(2) != null ? h.group(2) : h.group(3) != null ? h.group(3) : h.group(4);
                    StringBuilder content = new StringBuilder();
                    boolean closed = false;
                    while (i < lines.length) {
                        String body = lines[i++];
                        String candidate = chomp ? body.replaceFirst("^\t+", "") : body;
                        if (candidate.equals(name)) {
                            closed = true;
                            break;
                        }
                        content.append(candidate).append('\n');
                    }
                    if (!closed) {
                        throw BuildException.parse(start, "unterminated heredoc " + name);
                    }
                    docs.add(new Instruction.Heredoc(name, content.toString(), h.group(4) != null, chomp));
                }
                if (!docs.isEmpty()) {
                    parsed = new Instruction(parsed.keyword(), parsed.flags(), parsed.args(), null, List.copyOf(docs),
                            parsed.line(), parsed.original());
                }
            }
            validate(parsed);
            out.add(parsed);
        }
        return new Dockerfile(List.copyOf(out), escape);
    }

    private static String stripEnd(String s) {
        return s.stripTrailing();
    }

    /** Splits "KEYWORD [--flags] args" and recognises the exec form. */
    static Instruction instruction(String full, int line, char escape) throws BuildException {
        int space = indexOfSpace(full);
        String word = space < 0 ? full : full.substring(0, space);
        String keyword = word.toUpperCase(Locale.ROOT);
        if (!KEYWORDS.contains(keyword)) {
            throw BuildException.parse(line, "unknown instruction: " + keyword);
        }
        String rest = space < 0 ? "" : full.substring(space).strip();
        List<String> flags = new ArrayList<>();
        Set<String> allowed = FLAGS.getOrDefault(keyword, Set.of());
        if (!allowed.isEmpty()) {
            while (rest.startsWith("--")) {
                int end = indexOfSpace(rest);
                String flag = end < 0 ? rest : rest.substring(0, end);
                if (flag.equals("--")) {
                    break;
                }
                String name = flag.substring(2).contains("=") ? flag.substring(2, flag.indexOf('=')) : flag.substring(2);
                if (!allowed.contains(name)) {
                    throw BuildException.parse(line, "unknown flag: " + name);
                }
                flags.add(unquoteFlag(flag));
                rest = end < 0 ? "" : rest.substring(end).strip();
            }
        }
        List<String> json = rest.startsWith("[") ? jsonStrings(rest) : null;
        return new Instruction(keyword, List.copyOf(flags), rest, json, List.of(), line, full);
    }

    /** {@code --mount="type=secret,id=x"}: the quotes are the shell's, not part of the value. */
    private static String unquoteFlag(String flag) {
        int eq = flag.indexOf('=');
        if (eq < 0) {
            return flag;
        }
        String value = flag.substring(eq + 1);
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        return flag.substring(0, eq + 1) + value;
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A JSON array of strings, or null when the text is not one (then it is the shell form, as in Docker). */
    private static List<String> jsonStrings(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    return null;
                }
                out.add(n.asText());
            }
            return List.copyOf(out);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The argument-count rules Docker checks before building anything. */
    private static void validate(Instruction in) throws BuildException {
        String args = in.args();
        int words = args.isEmpty() ? 0 : args.split("\\s+").length;
        String k = in.keyword();
        switch (k) {
            case "FROM" -> {
                if (words != 1 && words != 3) {
                    throw BuildException.parse(in.line(), "FROM requires either one or three arguments");
                }
                if (words == 3 && !args.split("\\s+")[1].equalsIgnoreCase("as")) {
                    throw BuildException.parse(in.line(), "FROM requires either one or three arguments");
                }
            }
            case "ARG" -> {
                if (words != 1) {
                    throw BuildException.parse(in.line(), "ARG requires exactly one argument");
                }
            }
            case "MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL" -> {
                if (args.isEmpty()) {
                    throw BuildException.parse(in.line(), k + " requires exactly one argument");
                }
            }
            case "ENV", "LABEL", "EXPOSE", "VOLUME", "RUN", "ONBUILD" -> {
                if (args.isEmpty() && in.heredocs().isEmpty()) {
                    throw BuildException.parse(in.line(), k + " requires at least one argument");
                }
                if (k.equals("ONBUILD")) {
                    String inner = args.split("\\s+")[0].toUpperCase(Locale.ROOT);
                    if (inner.equals("ONBUILD")) {
                        throw BuildException.parse(in.line(), "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                    }
                    if (inner.equals("FROM") || inner.equals("MAINTAINER")) {
                        throw BuildException.parse(in.line(), inner + " isn't allowed as an ONBUILD trigger");
                    }
                    instruction(args, in.line(), '\\');
                }
            }
            case "COPY", "ADD" -> {
                int n = in.isJson() ? in.json().size() : words;
                if (n < 2) {
                    throw BuildException.parse(in.line(), k + " requires at least two arguments, but only one was"
                            + " provided. Destination could not be determined");
                }
            }
            case "SHELL" -> {
                if (!in.isJson()) {
                    throw BuildException.parse(in.line(), "SHELL requires the arguments to be in JSON form");
                }
                if (in.json().isEmpty()) {
                    throw BuildException.parse(in.line(), "SHELL requires at least one argument");
                }
            }
            case "CMD", "ENTRYPOINT", "HEALTHCHECK" -> {
                if (k.equals("HEALTHCHECK") && args.isEmpty()) {
                    throw BuildException.parse(in.line(), "HEALTHCHECK requires an argument");
                }
            }
            default -> { }
        }
    }
}
