package dev.berth.build;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One Dockerfile instruction as written, before variables are expanded.
 *
 * @param keyword upper case ("RUN")
 * @param flags the leading {@code --name=value} options of FROM, RUN, COPY, ADD and HEALTHCHECK, as written
 * @param args the rest of the instruction, continuation lines joined with their escape removed
 * @param json the exec (JSON array) form's strings, or null for the shell form
 * @param heredocs the here-documents the instruction reads ({@code RUN <<EOF}), in order
 * @param line the line the instruction starts on, 1-based
 * @param original the instruction as written on one line (keyword in the case written, flags, arguments)
 */
public record Instruction(String keyword, List<String> flags, String args, List<String> json, List<Heredoc> heredocs,
        int line, String original) {

    /**
     * A here-document.
     *
     * @param name the delimiter word ("EOF")
     * @param content the lines up to the delimiter, each ending with a newline
     * @param expand false when the delimiter was quoted ({@code <<"EOF"}), which turns variable expansion off
     */
    public record Heredoc(String name, String content, boolean expand, boolean chomp) {}

    public boolean isJson() {
        return json != null;
    }

    /** The value of {@code --name=value}, if given (the last one wins, as in Docker). */
    public Optional<String> flag(String name) {
        String prefix = "--" + name + "=";
        String found = null;
        for (String f : flags) {
            if (f.startsWith(prefix)) {
                found = f.substring(prefix.length());
            } else if (f.equals("--" + name)) {
                found = "";
            }
        }
        return Optional.ofNullable(found);
    }

    /** All values of a repeatable flag such as {@code --mount}. */
    public List<String> flagValues(String name) {
        String prefix = "--" + name + "=";
        return flags.stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length())).toList();
    }

    public String keywordLower() {
        return keyword.toLowerCase(Locale.ROOT);
    }
}
