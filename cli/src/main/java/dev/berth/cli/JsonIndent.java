package dev.berth.cli;

import java.io.ByteArrayOutputStream;

/**
 * Go's json.Indent over raw bytes: docker inspect prints the daemon's JSON re-indented but otherwise untouched (key
 * order, number spelling and escapes such as \u003c survive), which re-serialising a parsed tree would not preserve.
 */
public final class JsonIndent {
    private JsonIndent() {
    }

    /** Go's json.Compact: the same bytes without the whitespace between tokens. */
    public static byte[] compact(byte[] src) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length);
        boolean inString = false;
        boolean escaped = false;
        for (byte c : src) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            } else if (c == '"') {
                inString = true;
            }
            out.write(c);
        }
        return out.toByteArray();
    }

    public static byte[] indent(byte[] src, String indent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length * 2);
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        boolean needIndent = false;
        for (int i = 0; i < src.length; i++) {
            byte c = src[i];
            if (inString) {
                out.write(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (needIndent && c != ']' && c != '}') {
                needIndent = false;
                depth++;
                newline(out, indent, depth);
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.write(c);
                }
                case '{', '[' -> {
                    needIndent = true;
                    out.write(c);
                }
                case ',' -> {
                    out.write(c);
                    newline(out, indent, depth);
                }
                case ':' -> {
                    out.write(c);
                    out.write(' ');
                }
                case '}', ']' -> {
                    if (needIndent) {
                        needIndent = false;
                    } else {
                        depth--;
                        newline(out, indent, depth);
                    }
                    out.write(c);
                }
                default -> out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static void newline(ByteArrayOutputStream out, String indent, int depth) {
        out.write('\n');
        for (int i = 0; i < depth; i++) {
            out.writeBytes(indent.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
