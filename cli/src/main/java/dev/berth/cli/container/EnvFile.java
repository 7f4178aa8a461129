package dev.berth.cli.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code --env-file} format (cli {@code opts/file.go} parseKeyValueFile): one {@code NAME=value} per line, the
 * value passed through untouched; blank lines and lines starting with {@code #} are skipped; a bare {@code NAME} takes
 * the value from the local environment, or is passed as it is when unset there; a name may not contain whitespace.
 */
final class EnvFile {
    /** docker's wording for a bad line ("poorly formatted environment: ..."). */
    static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;

        BadLine(String message) {
            super("poorly formatted environment: " + message);
        }
    }

    private EnvFile() {
    }

    static List<String> read(Path file, Map<String, String> localEnv) throws IOException, BadLine {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("open " + file + ": no such file or directory");
        }
        return parse(text, localEnv);
    }

    static List<String> parse(String text, Map<String, String> localEnv) throws BadLine {
        List<String> out = new ArrayList<>();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a UTF-8 byte order mark
        }
        for (String raw : text.split("\n", -1)) {
            String line = raw.stripLeading();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq);
            if (name.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r')) {
                throw new BadLine("variable '" + name + "' contains whitespaces");
            }
            if (name.isEmpty()) {
                throw new BadLine("no variable name on line '" + line + "'");
            }
            if (eq >= 0) {
                out.add(line);
            } else {
                String value = localEnv.get(name);
                out.add(value == null ? line : name + "=" + value);
            }
        }
        return out;
    }
}
