package dev.berth.cli.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} rules as Docker's pattern matcher applies them: one pattern per line, '#' comments, paths
 * cleaned and relative to the context root; '*' and '?' stay within a path element, '**' spans any number of them;
 * a pattern matching a directory excludes everything under it; a '!' pattern re-includes what it matches; the last
 * matching pattern decides.
 */
public final class DockerIgnore {
    private record Rule(Pattern regex, boolean exclusion) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exclusion = line.startsWith("!");
            if (exclusion) {
                line = line.substring(1).strip();
            }
            String clean = clean(line);
            if (clean.isEmpty() || clean.equals(".")) {
                continue;
            }
            rules.add(new Rule(Pattern.compile(regex(clean)), exclusion));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** Whether any rule re-includes something: then excluded directories must still be walked. */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exclusion);
    }

    /** Whether the path (relative to the context, '/'-separated) is left out of the context. */
    public boolean excludes(String path) {
        boolean matched = false;
        List<String> parents = new ArrayList<>();
        String[] parts = path.split("/");
        for (int i = 1; i < parts.length; i++) {
            parents.add(String.join("/", java.util.Arrays.copyOf(parts, i)));
        }
        for (Rule r : rules) {
            if (r.exclusion() != matched) {
                continue; // an exclusion can only undo a match, an inclusion only make one
            }
            boolean match = r.regex().matcher(path).matches();
            for (int i = 0; !match && i < parents.size(); i++) {
                match = r.regex().matcher(parents.get(i)).matches();
            }
            if (match) {
                matched = !r.exclusion();
            }
        }
        return matched;
    }

    /** filepath.Clean, then without a leading '/'. */
    private static String clean(String p) {
        List<String> out = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                    continue;
                }
                if (p.startsWith("/")) {
                    continue;
                }
            }
            out.add(part);
        }
        return String.join("/", out);
    }

    private static String regex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                        re.append("(.*/)?"); // "**/" : zero or more directories
                    } else {
                        re.append(".*");
                    }
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String cls = pattern.substring(i + 1, end);
                    re.append('[').append(cls.startsWith("^") || cls.startsWith("!") ? "^" + cls.substring(1) : cls)
                            .append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
