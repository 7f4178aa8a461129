package dev.berth.cli.template;

import java.util.HexFormat;

/** Go's string and number literal syntax: strconv.Quote, strconv.Unquote and the template number grammar. */
public final class GoStrings {
    private GoStrings() {
    }

    /** strconv.Quote: a double-quoted Go string literal with Go's escapes for unprintable characters. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (isPrint(c)) {
                        out.appendCodePoint(c);
                    } else if (Character.isSurrogate((char) c)) {
                        out.append("\\ufffd");
                    } else if (c < ' ' || c == 0x7f) {
                        out.append("\\x").append(HexFormat.of().toHexDigits((byte) c));
                    } else if (c < 0x10000) {
                        out.append("\\u").append(String.format("%04x", c));
                    } else {
                        out.append("\\U").append(String.format("%08x", c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                 Character.PRIVATE_USE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** fmt's %#U: {@code U+0041 'A'}. */
    static String unicodeName(int c) {
        String code = String.format("U+%04X", c);
        return isPrint(c) ? code + " '" + new String(Character.toChars(c)) + "'" : code;
    }

    /** strconv.Unquote of a double- or single-quoted literal; null when the literal is malformed. */
    static String unquote(String literal, char quote) {
        if (literal.length() < 2 || literal.charAt(0) != quote || literal.charAt(literal.length() - 1) != quote) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        String body = literal.substring(1, literal.length() - 1);
        for (int i = 0; i < body.length(); ) {
            char c = body.charAt(i++);
            if (c == quote || c == '\n') {
                return null;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i >= body.length()) {
                return null;
            }
            char e = body.charAt(i++);
            switch (e) {
                case 'a' -> out.append((char) 7);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append((char) 0x0b);
                case '\\' -> out.append('\\');
                case '\'', '"' -> {
                    if (e != quote) {
                        return null;
                    }
                    out.append(e);
                }
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n > body.length()) {
                        return null;
                    }
                    int value;
                    try {
                        value = Integer.parseUnsignedInt(body.substring(i, i + n), 16);
                    } catch (NumberFormatException ex) {
                        return null;
                    }
                    i += n;
                    if (e == 'x') {
                        // \x is a byte; the templates docker users write only use it for ASCII.
                        out.append((char) value);
                    } else if (!Character.isValidCodePoint(value) || (value >= 0xd800 && value < 0xe000)) {
                        return null;
                    } else {
                        out.appendCodePoint(value);
                    }
                }
                default -> {
                    if (e < '0' || e > '7' || i + 2 > body.length()) {
                        return null;
                    }
                    try {
                        int value = Integer.parseInt(body.substring(i - 1, i + 2), 8);
                        if (value > 255) {
                            return null;
                        }
                        out.append((char) value);
                    } catch (NumberFormatException ex) {
                        return null;
                    }
                    i += 2;
                }
            }
        }
        return out.toString();
    }

    /**
     * A template number literal: a Long for integers (decimal, 0x, 0o, 0b, leading-0 octal, with _ separators),
     * a Double for anything with a fraction or exponent; null when malformed.
     */
    static Object parseNumber(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        boolean hex = lower.startsWith("0x");
        try {
            if (hex && lower.contains("p") || !hex && (lower.contains(".") || lower.contains("e"))) {
                double d = Double.parseDouble(hex && !lower.contains(".") ? lower.replace("p", ".0p") : lower);
                return negative ? -d : d;
            }
            long value;
            if (hex) {
                value = Long.parseLong(lower.substring(2), 16);
            } else if (lower.startsWith("0o")) {
                value = Long.parseLong(lower.substring(2), 8);
            } else if (lower.startsWith("0b")) {
                value = Long.parseLong(lower.substring(2), 2);
            } else if (lower.length() > 1 && lower.startsWith("0")) {
                value = Long.parseLong(lower.substring(1), 8);
            } else {
                value = Long.parseLong(lower);
            }
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
