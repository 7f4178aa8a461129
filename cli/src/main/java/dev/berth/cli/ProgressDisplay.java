package dev.berth.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a pull or push message stream as docker's jsonmessage.DisplayJSONMessagesStream does. On a terminal every id
 * (a layer) owns a line that is rewritten in place with its status and progress bar; elsewhere progress updates are
 * dropped and each status is one line. An errorDetail ends the command with its message.
 */
public final class ProgressDisplay {
    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final Map<String, Integer> lines = new HashMap<>();

    public ProgressDisplay(PrintStream out, boolean terminal, int width) {
        this.out = out;
        this.terminal = terminal;
        this.width = width;
    }

    public static ProgressDisplay forStdout(Cli cli) {
        int[] size = cli.stdoutIsTerminal() ? Terminal.size() : null;
        return new ProgressDisplay(cli.out(), cli.stdoutIsTerminal(), size == null ? 80 : size[1]);
    }

    public void show(Cli cli, InputStream stream) throws IOException {
        JsonParser parser = cli.json().getFactory().createParser(stream);
        try (MappingIterator<JsonNode> it = cli.json().readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                display(it.nextValue());
            }
        }
        out.flush();
    }

    void display(JsonNode m) {
        JsonNode error = m.get("errorDetail");
        if (error != null && error.hasNonNull("message") || m.hasNonNull("error")) {
            out.flush();
            String message = error != null && error.hasNonNull("message") ? error.get("message").asText()
                    : m.get("error").asText();
            throw new CliException(message, 1);
        }
        String id = m.path("id").asText("");
        JsonNode detail = m.get("progressDetail");
        int diff = 0;
        if (!id.isEmpty() && detail != null) {
            Integer line = lines.get(id);
            if (line == null) {
                line = lines.size();
                lines.put(id, line);
                if (terminal) {
                    out.print("\n");
                }
            }
            diff = lines.size() - line;
            if (terminal) {
                out.print("\u001b[" + diff + "A");
            }
        } else {
            lines.clear();
        }
        String bar = detail == null ? "" : bar(detail.path("current").asLong(0), detail.path("total").asLong(0));
        if (!terminal && !bar.isEmpty()) {
            return;
        }
        String endl = "";
        if (terminal && detail != null) {
            out.print("\u001b[2K\r");
            endl = "\r";
        }
        StringBuilder line = new StringBuilder();
        if (!id.isEmpty()) {
            line.append(id).append(": ");
        }
        String status = m.path("status").asText("");
        if (terminal && detail != null) {
            line.append(status).append(' ').append(bar).append(endl);
            out.print(line);
        } else {
            out.print(line.append(status).append(endl).append('\n'));
        }
        if (!id.isEmpty() && terminal && diff > 0) {
            out.print("\u001b[" + diff + "B");
        }
        out.flush();
    }

    /** jsonmessage's JSONProgress.String for the terminal's width. */
    String bar(long current, long total) {
        if (current <= 0 && total <= 0) {
            return "";
        }
        if (total <= 0) {
            return String.format(Locale.ROOT, "%8s", humanSize(current));
        }
        int percentage = Math.min(50, (int) (100.0 * current / total) / 2);
        String box = width > 110 ? "[" + "=".repeat(percentage) + ">" + " ".repeat(50 - percentage) + "] " : "";
        String numbers = current > total ? String.format(Locale.ROOT, "%8s", humanSize(current))
                : String.format(Locale.ROOT, "%8s/%s", humanSize(current), humanSize(total));
        return box + numbers;
    }

    /** go-units HumanSize: decimal units, four significant digits. */
    static String humanSize(double size) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        int i = 0;
        while (size >= 1000 && i < units.length - 1) {
            size /= 1000;
            i++;
        }
        String n = String.format(Locale.ROOT, "%.4g", size);
        if (n.contains(".")) {
            n = n.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return n + units[i];
    }
}
