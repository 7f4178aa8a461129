package dev.berth.build;

/** Go's {@code filepath.Match} syntax as a Java regex: '*' and '?' stop at '/', '[...]' classes, '\' escapes. */
final class DockerPath {
    private DockerPath() {}

    static String globRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = pattern.indexOf(']', i + 1);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String cls = pattern.substring(i + 1, end);
                        re.append('[').append(cls.startsWith("^") || cls.startsWith("!") ? "^" + cls.substring(1) : cls)
                                .append(']');
                        i = end;
                    }
                }
                case '\\' -> {
                    if (i + 1 < pattern.length()) {
                        re.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    }
                }
                default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
