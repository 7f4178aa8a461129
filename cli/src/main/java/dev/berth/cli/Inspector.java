package dev.berth.cli;

import dev.berth.cli.template.Template;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * docker/cli's inspector. Without --format the raw objects are printed as one indented JSON array ("[]" when nothing
 * was found); "--format json" prints them compacted on one line; another --format renders each object on its own
 * line, the output being printed at the end (a lone newline when there is none, as docker's Flush does).
 */
public final class Inspector {
    private final Cli cli;
    private final String format;
    private final Template template;
    private final List<byte[]> raw = new ArrayList<>();
    private final StringBuilder rendered = new StringBuilder();

    public Inspector(Cli cli, String format) {
        this.cli = cli;
        this.format = format == null || format.isEmpty() ? null : format;
        this.template = this.format == null || this.format.equals("json") ? null : Templates.parse(this.format);
    }

    /** Adds one object; a template failure is reported like a lookup failure and does not stop the others. */
    public void add(byte[] element) throws IOException {
        if (template == null) {
            raw.add(element);
            return;
        }
        rendered.append(Templates.execute(template, cli.json().readTree(element))).append('\n');
    }

    public void flush() {
        PrintStream out = cli.out();
        if (template != null) {
            out.print(rendered.isEmpty() ? "\n" : rendered);
            out.flush();
            return;
        }
        if (raw.isEmpty()) {
            out.print("[]\n");
            out.flush();
            return;
        }
        StringBuilder joined = new StringBuilder("[");
        for (int i = 0; i < raw.size(); i++) {
            joined.append(new String(raw.get(i), StandardCharsets.UTF_8));
            if (i < raw.size() - 1) {
                joined.append(',');
            }
        }
        joined.append(']');
        byte[] bytes = joined.toString().getBytes(StandardCharsets.UTF_8);
        out.writeBytes(format == null ? JsonIndent.indent(bytes, "    ") : JsonIndent.compact(bytes));
        out.print('\n');
        out.flush();
    }
}
