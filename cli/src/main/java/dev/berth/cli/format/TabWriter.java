package dev.berth.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A port of Go's text/tabwriter: text is cut into cells terminated by a tab; consecutive lines whose cells share a
 * column form a column block, padded to the block's widest cell plus {@code padding}, at least {@code minWidth}.
 * The last cell of a line is not part of a column. Widths are display columns (East Asian wide characters count
 * two), as in docker's fork of the package. Output is kept until a line of a single cell (which cannot affect
 * alignment) or {@link #flush()}.
 *
 * <p>docker formats tables with {@code new TabWriter(out, 10, 1, 3, ' ', 0)}.
 */
public final class TabWriter {
    /** Right-align cell content (Go's AlignRight). */
    public static final int ALIGN_RIGHT = 4;
    /** Drop columns made only of empty tab-terminated cells (Go's DiscardEmptyColumns). */
    public static final int DISCARD_EMPTY_COLUMNS = 8;
    /** Pad leading empty cells with tabs whatever the pad character (Go's TabIndent). */
    public static final int TAB_INDENT = 16;
    /** Print a vertical bar between columns (Go's Debug). */
    public static final int DEBUG = 32;

    private record Cell(int size, int width, boolean htab) {
    }

    private final StringBuilder out;
    private final int minWidth;
    private final int tabWidth;
    private final int padding;
    private final char padChar;
    private final int flags;

    private final StringBuilder buf = new StringBuilder();
    private final List<List<Cell>> lines = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>();
    private int cellSize;
    private int cellWidth;
    private int pos;

    public TabWriter(StringBuilder out, int minWidth, int tabWidth, int padding, char padChar, int flags) {
        this.out = out;
        this.minWidth = minWidth;
        this.tabWidth = tabWidth;
        this.padding = padding;
        this.padChar = padChar;
        this.flags = flags;
        lines.add(new ArrayList<>());
    }

    /** docker's table writer: minwidth 10, tabwidth 1, padding 3, spaces. */
    public static TabWriter forTables(StringBuilder out) {
        return new TabWriter(out, 10, 1, 3, ' ', 0);
    }

    public TabWriter write(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\t' || ch == '\u000b' || ch == '\n' || ch == '\f') {
                append(text, n, i);
                n = i + 1;
                int cells = terminateCell(ch == '\t');
                if (ch == '\n' || ch == '\f') {
                    lines.add(new ArrayList<>());
                    // A one-cell line cannot change later alignment, so what is buffered can be written now.
                    if (ch == '\f' || cells == 1) {
                        flushBuffered();
                        if (ch == '\f' && (flags & DEBUG) != 0) {
                            out.append("---\n");
                        }
                    }
                }
            }
        }
        append(text, n, text.length());
        return this;
    }

    /** Writes everything buffered; a final cell without newline is written as is. */
    public void flush() {
        flushBuffered();
    }

    private void append(String text, int from, int to) {
        buf.append(text, from, to);
        cellSize += to - from;
        for (int i = from; i < to; ) {
            int c = text.codePointAt(i);
            cellWidth += Strings.runeWidth(c);
            i += Character.charCount(c);
        }
    }

    private int terminateCell(boolean htab) {
        List<Cell> line = lines.getLast();
        line.add(new Cell(cellSize, cellWidth, htab));
        cellSize = 0;
        cellWidth = 0;
        return line.size();
    }

    private void flushBuffered() {
        if (cellSize > 0) {
            terminateCell(false);
        }
        format(0, lines.size());
        buf.setLength(0);
        pos = 0;
        lines.clear();
        lines.add(new ArrayList<>());
        widths.clear();
    }

    private void format(int line0, int line1) {
        int column = widths.size();
        for (int current = line0; current < line1; current++) {
            if (column >= lines.get(current).size() - 1) {
                continue;
            }
            // This line has a cell in this column: it starts a column block.
            writeLines(line0, current);
            line0 = current;
            int width = minWidth;
            boolean discardable = true;
            for (; current < line1; current++) {
                List<Cell> line = lines.get(current);
                if (column >= line.size() - 1) {
                    break;
                }
                Cell c = line.get(column);
                width = Math.max(width, c.width() + padding);
                if (c.width() > 0 || c.htab()) {
                    discardable = false;
                }
            }
            if (discardable && (flags & DISCARD_EMPTY_COLUMNS) != 0) {
                width = 0;
            }
            widths.add(width);
            format(line0, current);
            widths.removeLast();
            line0 = current;
        }
        writeLines(line0, line1);
    }

    private void writeLines(int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            List<Cell> line = lines.get(i);
            boolean useTabs = (flags & TAB_INDENT) != 0;
            for (int j = 0; j < line.size(); j++) {
                Cell c = line.get(j);
                if (j > 0 && (flags & DEBUG) != 0) {
                    out.append('|');
                }
                if (c.size() == 0) {
                    if (j < widths.size()) {
                        writePadding(c.width(), widths.get(j), useTabs);
                    }
                } else {
                    useTabs = false;
                    if ((flags & ALIGN_RIGHT) == 0) {
                        out.append(buf, pos, pos + c.size());
                        pos += c.size();
                        if (j < widths.size()) {
                            writePadding(c.width(), widths.get(j), false);
                        }
                    } else {
                        if (j < widths.size()) {
                            writePadding(c.width(), widths.get(j), false);
                        }
                        out.append(buf, pos, pos + c.size());
                        pos += c.size();
                    }
                }
            }
            if (i + 1 == lines.size()) {
                // The last buffered line has no newline yet: write its pending text only.
                out.append(buf, pos, pos + cellSize);
                pos += cellSize;
            } else {
                out.append('\n');
            }
        }
    }

    private void writePadding(int textWidth, int cellWidth, boolean useTabs) {
        if (padChar == '\t' || useTabs) {
            if (tabWidth == 0) {
                return;
            }
            int cell = (cellWidth + tabWidth - 1) / tabWidth * tabWidth;
            int n = cell - textWidth;
            out.append("\t".repeat((n + tabWidth - 1) / tabWidth));
            return;
        }
        out.append(String.valueOf(padChar).repeat(cellWidth - textWidth));
    }
}
