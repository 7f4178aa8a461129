package dev.berth.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a tar stream (ustar, PAX and GNU long names, as Go's archive/tar, GNU tar and Commons Compress write them) one
 * entry at a time.
 *
 * <p>Berth reads tars itself rather than through Commons Compress because that library decodes PAX values as UTF-8
 * text, which corrupts binary xattr values such as file capabilities; here PAX values stay bytes until a key says what
 * they are. Global PAX headers are skipped, as Docker ignores them; sparse files and GNU multi-volume entries are
 * refused. A clean end of stream where a header would start ends the archive, as it does for Go's reader.
 */
final class TarReader {
    private static final int BLOCK = 512;
    /** PAX and GNU long-name records are held in memory; Go's archive/tar bounds them the same way. */
    private static final int MAX_META_SIZE = 1 << 20;
    private static final String XATTR_PREFIX = "SCHILY.xattr.";

    private final InputStream in;
    private long remaining;
    private long padding;
    private String current = "";

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive. Unread content of the previous entry is skipped. */
    TarHeader next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        Map<String, byte[]> pax = new HashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            byte[] block = in.readNBytes(BLOCK);
            if (block.length == 0 || isZero(block)) {
                return null;
            }
            if (block.length < BLOCK) {
                throw new IOException("unexpected end of tar stream " + position());
            }
            checkSum(block);
            char flag = (char) (block[156] & 0xff);
            long size = number(block, 124, 12);
            switch (flag) {
                case 'x' -> pax.putAll(parsePax(readMeta(size)));
                case 'g' -> skip(size + padding(size));
                case 'L' -> longName = text(cString(readMeta(size)));
                case 'K' -> longLink = text(cString(readMeta(size)));
                default -> {
                    return entry(block, flag, size, pax, longName, longLink);
                }
            }
        }
    }

    /** The content of the entry {@link #next} returned last; reading stops at its end. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("unexpected end of tar stream in \"" + current + "\"");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private TarHeader entry(byte[] block, char flag, long size, Map<String, byte[]> pax, String longName, String longLink)
            throws IOException {
        String name = paxText(pax, "path", longName != null ? longName : headerName(block));
        current = name;
        for (String key : pax.keySet()) {
            if (key.startsWith("GNU.sparse.")) {
                throw new IOException("invalid tar entry \"" + name + "\": sparse files are not supported");
            }
        }
        TarHeader.Kind kind = switch (flag) {
            case '0', '7' -> TarHeader.Kind.FILE;
            // V7 archives mark directories only by a trailing slash
            case '\0' -> name.endsWith("/") ? TarHeader.Kind.DIRECTORY : TarHeader.Kind.FILE;
            case '1' -> TarHeader.Kind.HARD_LINK;
            case '2' -> TarHeader.Kind.SYMLINK;
            case '3' -> TarHeader.Kind.CHAR_DEVICE;
            case '4' -> TarHeader.Kind.BLOCK_DEVICE;
            case '5' -> TarHeader.Kind.DIRECTORY;
            case '6' -> TarHeader.Kind.FIFO;
            default -> throw new IOException("invalid tar entry \"" + name + "\": unsupported type '" + flag + "'");
        };
        long dataSize = paxNumber(pax, "size", size);
        Instant mtime = paxTime(pax, "mtime", Instant.ofEpochSecond(number(block, 136, 12)));
        Map<String, byte[]> xattrs = new TreeMap<>();
        pax.forEach((key, value) -> {
            if (key.startsWith(XATTR_PREFIX)) {
                xattrs.put(key.substring(XATTR_PREFIX.length()), value);
            }
        });
        // Only regular files have content; Go's reader ignores the size field of the other types too.
        remaining = kind == TarHeader.Kind.FILE ? dataSize : 0;
        padding = padding(remaining);
        return new TarHeader(name, kind, remaining, (int) number(block, 100, 8) & 07777,
                paxNumber(pax, "uid", number(block, 108, 8)), paxNumber(pax, "gid", number(block, 116, 8)),
                mtime, paxTime(pax, "atime", mtime),
                paxText(pax, "linkpath", longLink != null ? longLink : text(field(block, 157, 100))),
                (int) number(block, 329, 8), (int) number(block, 337, 8), xattrs);
    }

    /** ustar splits long names into a prefix and a name; old GNU headers use the prefix bytes for other things. */
    private static String headerName(byte[] block) throws IOException {
        String name = text(field(block, 0, 100));
        boolean ustar = Arrays.equals(block, 257, 263, "ustar\0".getBytes(StandardCharsets.US_ASCII), 0, 6);
        String prefix = ustar ? text(field(block, 345, 155)) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private byte[] readMeta(long size) throws IOException {
        if (size > MAX_META_SIZE) {
            throw new IOException("invalid tar stream: extended header of " + size + " bytes " + position()
                    + " exceeds the limit of " + MAX_META_SIZE);
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new IOException("unexpected end of tar stream " + position());
        }
        skip(padding(size));
        return data;
    }

    /** PAX records are "<length> <key>=<value>\n", the length counting the whole record. */
    static Map<String, byte[]> parsePax(byte[] data) throws IOException {
        Map<String, byte[]> records = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            long length = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && length <= data.length) {
                length = length * 10 + data[space++] - '0';
            }
            int end = (int) Math.min(pos + length, Integer.MAX_VALUE);
            if (space == pos || space >= data.length || data[space] != ' ' || end > data.length || end <= space + 1
                    || data[end - 1] != '\n') {
                throw new IOException("invalid tar stream: malformed PAX record");
            }
            int equals = space + 1;
            while (equals < end - 1 && data[equals] != '=') {
                equals++;
            }
            if (equals == end - 1) {
                throw new IOException("invalid tar stream: PAX record without '='");
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(data, equals + 1, end - 1);
            // An empty value means "no value": the header field applies, as in Go's reader.
            if (value.length == 0) {
                records.remove(key);
            } else {
                records.put(key, value);
            }
            pos = end;
        }
        return records;
    }

    private static String paxText(Map<String, byte[]> pax, String key, String fallback) throws IOException {
        byte[] value = pax.get(key);
        return value == null ? fallback : text(value);
    }

    private static long paxNumber(Map<String, byte[]> pax, String key, long fallback) throws IOException {
        byte[] value = pax.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("invalid tar stream: PAX " + key + " is not a number");
        }
    }

    /** PAX times are decimal seconds with an optional fraction, e.g. "1700000000.5". */
    private static Instant paxTime(Map<String, byte[]> pax, String key, Instant fallback) throws IOException {
        byte[] value = pax.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            BigDecimal seconds = new BigDecimal(new String(value, StandardCharsets.US_ASCII));
            BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
            return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).intValue());
        } catch (ArithmeticException | NumberFormatException | DateTimeException e) {
            throw new IOException("invalid tar stream: PAX " + key + " is not a time");
        }
    }

    /**
     * A numeric header field: octal digits padded with spaces or NULs, or base-256 (high bit set) for values octal
     * cannot hold, as GNU tar and Go write large ids and sizes.
     */
    static long number(byte[] block, int offset, int length) throws IOException {
        if ((block[offset] & 0x80) != 0) {
            if ((block[offset] & 0x40) != 0) {
                throw new IOException("invalid tar header: negative number");
            }
            long value = block[offset] & 0x3f;
            for (int i = offset + 1; i < offset + length; i++) {
                if (value >>> 55 != 0) {
                    throw new IOException("invalid tar header: number too large");
                }
                value = value << 8 | (block[i] & 0xff);
            }
            return value;
        }
        int i = offset;
        int end = offset + length;
        while (i < end && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        long value = 0;
        for (; i < end && block[i] >= '0' && block[i] <= '7'; i++) {
            if (value >>> 60 != 0) {
                throw new IOException("invalid tar header: number too large");
            }
            value = value << 3 | (block[i] - '0');
        }
        for (; i < end; i++) {
            if (block[i] != ' ' && block[i] != 0) {
                throw new IOException("invalid tar header: bad number field");
            }
        }
        return value;
    }

    /** The checksum counts its own field as spaces; some old writers summed signed bytes, which is accepted too. */
    private void checkSum(byte[] block) throws IOException {
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        long stored = number(block, 148, 8);
        if (stored != unsigned && stored != signed) {
            throw new IOException("invalid tar header " + position() + ": checksum mismatch");
        }
    }

    private String position() {
        return current.isEmpty() ? "at the start of the archive" : "after \"" + current + "\"";
    }

    /** Reads past {@code n} bytes; reads rather than skips, since callers digest the stream as it passes. */
    private void skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 64 * 1024)];
        for (long left = n; left > 0; ) {
            int read = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (read < 0) {
                throw new IOException("unexpected end of tar stream in \"" + current + "\"");
            }
            left -= read;
        }
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] field(byte[] block, int offset, int length) {
        return cString(Arrays.copyOfRange(block, offset, offset + length));
    }

    private static byte[] cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return Arrays.copyOf(bytes, end);
    }

    /** Names must be UTF-8: Java paths cannot carry other bytes, and guessing would unpack the wrong name. */
    private static String text(byte[] bytes) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("invalid tar entry name: not UTF-8: "
                    + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
