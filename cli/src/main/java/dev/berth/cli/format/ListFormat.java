package dev.berth.cli.format;

import dev.berth.cli.template.ContextMap;
import dev.berth.cli.template.Template;
import dev.berth.cli.template.TemplateException;
import java.util.List;
import java.util.Map;

/**
 * docker's list formatting (cli/command/formatter): how {@code ps}, {@code images}, {@code volume ls},
 * {@code network ls}... print their rows for a {@code --format} value.
 * <ul>
 * <li>{@code table ...}: "table" is stripped, a header row is rendered from the header context (field name to
 *     column title, e.g. ID to "CONTAINER ID") with docker's header functions, then one row per item, all aligned
 *     by a {@link TabWriter#forTables tab writer}.</li>
 * <li>{@code json}: each item as {@code {{json .}}} on its own line.</li>
 * <li>anything else: the template once per item, each followed by a newline.</li>
 * </ul>
 * In all cases a literal {@code \t} or {@code \n} typed in the format means a tab or newline, surrounding spaces
 * are trimmed, and missing map keys print {@code <no value>} (docker's templates use Go's default).
 *
 * <p>Errors are worded as docker's: {@code template parsing error: template: :1: ...}.
 */
public final class ListFormat {
    private static final String TABLE = "table";
    private static final String JSON = "json";

    private final String format;
    private final Template template;

    private ListFormat(String format, Template template) {
        this.format = format;
        this.template = template;
    }

    /**
     * The format for a verb: the user's {@code --format}, or the verb's default table format when the user gave
     * none or just "table".
     *
     * @throws TemplateException when the template does not parse
     */
    public static ListFormat of(String userFormat, String defaultTableFormat) throws TemplateException {
        String format = userFormat == null || userFormat.isEmpty() || userFormat.equals(TABLE)
            ? defaultTableFormat : userFormat;
        try {
            return new ListFormat(format, Template.parse(templateText(format))
                .withMissingKey(Template.MissingKey.NO_VALUE));
        } catch (TemplateException e) {
            throw new TemplateException("template parsing error: " + e.getMessage());
        }
    }

    /** What docker executes for a format string: "table" stripped, "json" expanded, \t and \n unescaped. */
    static String templateText(String format) {
        String text = format;
        if (isTable(format)) {
            text = text.substring(TABLE.length());
        } else if (format.equals(JSON)) {
            text = "{{json .}}";
        }
        return stripSpaces(text).replace("\\t", "\t").replace("\\n", "\n");
    }

    private static String stripSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isTable(String format) {
        return format.startsWith(TABLE);
    }

    public boolean isTable() {
        return isTable(format);
    }

    public boolean isJson() {
        return format.equals(JSON);
    }

    /**
     * Renders the rows. For a table the header comes first, even with no rows.
     *
     * @param header the header context: field name to column title
     * @param rows   the row contexts (objects with methods named like the fields, records, maps or GoStructs)
     * @throws TemplateException when a row fails, prefixed "template parsing error: " as docker does
     */
    public String render(Map<String, String> header, List<?> rows) throws TemplateException {
        StringBuilder body = new StringBuilder();
        for (Object row : rows) {
            try {
                // docker's contexts encode themselves as a sorted map for --format json.
                body.append(template.execute(isJson() ? ContextMap.of(row) : row)).append('\n');
            } catch (TemplateException e) {
                throw new TemplateException("template parsing error: " + e.getMessage());
            }
        }
        if (!isTable()) {
            return body.toString();
        }
        StringBuilder out = new StringBuilder();
        TabWriter tw = TabWriter.forTables(out);
        tw.write(template.executeHeader(header));
        tw.write("\n");
        tw.write(body.toString());
        tw.flush();
        return out.toString();
    }
}
