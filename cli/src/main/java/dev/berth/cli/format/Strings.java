package dev.berth.cli.format;

import dev.berth.cli.template.GoStrings;

/** docker's string shortening for tables: display-width-aware ellipsis, ps command and ID truncation. */
public final class Strings {
    private static final int COMMAND_WIDTH = 20;
    private static final int SHORT_ID = 12;

    private Strings() {
    }

    /**
     * docker's formatter.Ellipsis: cut {@code s} to at most {@code maxWidth} display columns, the last being
     * "…"; wide (East Asian) characters count two columns. A width of 1 keeps the first character only.
     */
    public static String ellipsis(String s, int maxWidth) {
        if (maxWidth <= 0 || s.isEmpty()) {
            return "";
        }
        int[] runes = s.codePoints().toArray();
        if (maxWidth == 1) {
            return new String(runes, 0, 1);
        }
        int[] display = new int[runes.length];
        int width = 0;
        for (int i = 0; i < runes.length; i++) {
            width += runeWidth(runes[i]);
            display[i] = width;
        }
        if (width <= maxWidth) {
            return s;
        }
        int keep = 0;
        while (keep < runes.length && display[keep] <= maxWidth - 1) {
            keep++;
        }
        // docker returns the string whole when even its first character is too wide to precede the ellipsis.
        return keep == 0 ? s : new String(runes, 0, keep) + "…";
    }

    /** The COMMAND column of docker ps: ellipsis to 20 columns unless --no-trunc, then strconv.Quote. */
    public static String psCommand(String command, boolean truncate) {
        return GoStrings.quote(truncate ? ellipsis(command, COMMAND_WIDTH) : command);
    }

    /** docker's stringid.TruncateID: drop an algorithm prefix such as "sha256:" and keep 12 characters. */
    public static String truncateId(String id) {
        int colon = id.indexOf(':');
        String hex = colon >= 0 ? id.substring(colon + 1) : id;
        return hex.length() > SHORT_ID ? hex.substring(0, SHORT_ID) : hex;
    }

    /** Display columns of a character, as go-runewidth counts them: 0 for combining marks, 2 for wide ones. */
    static int runeWidth(int c) {
        int type = Character.getType(c);
        if (c == 0 || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
            || type == Character.FORMAT) {
            return 0;
        }
        boolean wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF)
            || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
            || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
            || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F)
            || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
        return wide ? 2 : 1;
    }
}
