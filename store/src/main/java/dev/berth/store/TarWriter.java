package dev.berth.store;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a PAX tar stream: a ustar header per entry, preceded by a PAX header only when the entry needs one (long or
 * non-ASCII names, ids or sizes too large for octal, xattrs). Like Docker's writer it leaves user and group names empty
 * and records whole-second mtimes and no atime, so the same tree always gives the same bytes.
 */
final class TarWriter {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_7 = 07777777L;
    private static final long MAX_OCTAL_11 = 077777777777L;

    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    /**
     * Writes one entry; for a {@link TarHeader.Kind#FILE}, {@code content} supplies its {@code size} bytes. The header is
     * written first, so a file that changes while being archived is cut at, or padded with zeros to, that size.
     */
    void write(TarHeader h, InputStream content) throws IOException {
        Map<String, byte[]> pax = new TreeMap<>();
        byte[] block = new byte[BLOCK];
        putName(block, h.name(), pax);
        octal(block, 100, 8, h.mode() & 07777);
        number(block, 108, 8, h.uid(), MAX_OCTAL_7, "uid", pax);
        number(block, 116, 8, h.gid(), MAX_OCTAL_7, "gid", pax);
        long size = h.kind() == TarHeader.Kind.FILE ? h.size() : 0;
        number(block, 124, 12, size, MAX_OCTAL_11, "size", pax);
        number(block, 136, 12, h.mtime().getEpochSecond(), MAX_OCTAL_11, "mtime", pax);
        block[156] = (byte) h.kind().flag;
        if (!putAscii(block, 157, 100, h.linkName())) {
            pax.put("linkpath", h.linkName().getBytes(StandardCharsets.UTF_8));
        }
        putUstarMagic(block);
        if (h.kind() == TarHeader.Kind.CHAR_DEVICE || h.kind() == TarHeader.Kind.BLOCK_DEVICE) {
            octal(block, 329, 8, h.devMajor());
            octal(block, 337, 8, h.devMinor());
        }
        h.xattrs().forEach((name, value) -> pax.put("SCHILY.xattr." + name, value));
        if (!pax.isEmpty()) {
            writePax(pax);
        }
        writeHeader(block);
        if (size > 0) {
            copy(content, size);
        }
    }

    private void copy(InputStream content, long size) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = size;
        for (int n; left > 0 && (n = content.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0; left -= n) {
            out.write(buffer, 0, n);
        }
        Arrays.fill(buffer, (byte) 0);
        for (int n; left > 0; left -= n) {
            n = (int) Math.min(buffer.length, left);
            out.write(buffer, 0, n);
        }
        out.write(buffer, 0, (int) ((BLOCK - size % BLOCK) % BLOCK));
    }

    /** Ends the archive with its two zero blocks and flushes; the underlying stream stays open. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    /**
     * An ASCII name goes in the name field or, if longer, is split at a slash into ustar's prefix and name fields (as
     * Go does, a trailing slash stays with the name); anything else needs a PAX path record.
     */
    private static void putName(byte[] block, String name, Map<String, byte[]> pax) {
        if (putAscii(block, 0, 100, name)) {
            return;
        }
        int slash = name.lastIndexOf('/', Math.min(155, name.length() - 2));
        int rest = name.length() - slash - 1;
        if (slash > 0 && rest <= 100 && isAscii(name)) {
            putAscii(block, 345, 155, name.substring(0, slash));
            putAscii(block, 0, 100, name.substring(slash + 1));
            return;
        }
        pax.put("path", name.getBytes(StandardCharsets.UTF_8));
        StringBuilder fallback = new StringBuilder(); // for readers that know no PAX: the name, cut and made ASCII
        name.codePoints().limit(100).forEach(c -> fallback.append(c < 0x80 && c > 0 ? (char) c : '_'));
        putAscii(block, 0, 100, fallback.toString());
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c > 0 && c < 0x80);
    }

    private static boolean putAscii(byte[] block, int offset, int length, String text) {
        if (text.length() > length || !isAscii(text)) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            block[offset + i] = (byte) text.charAt(i);
        }
        return true;
    }

    /** A value that does not fit the octal field goes in a PAX record instead, and the field holds 0. */
    private static void number(byte[] block, int offset, int length, long value, long max, String key,
            Map<String, byte[]> pax) {
        if (value >= 0 && value <= max) {
            octal(block, offset, length, value);
        } else {
            pax.put(key, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
            octal(block, offset, length, 0);
        }
    }

    /** length-1 zero-padded octal digits and a NUL. */
    private static void octal(byte[] block, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        for (int i = 0; i < length - 1; i++) {
            block[offset + i] = (byte) padded.charAt(i);
        }
        block[offset + length - 1] = 0;
    }

    private static void putUstarMagic(byte[] block) {
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, block, 257, magic.length);
    }

    private void writePax(Map<String, byte[]> records) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> r : records.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            int body = key.length + r.getValue().length + 3; // ' ', '=' and '\n'
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() > Integer.toString(body).length()) {
                length = body + Integer.toString(length).length();
            }
            data.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
            data.writeBytes(key);
            data.write('=');
            data.writeBytes(r.getValue());
            data.write('\n');
        }
        byte[] block = new byte[BLOCK];
        putAscii(block, 0, 100, "././@PaxHeader");
        octal(block, 100, 8, 0644);
        octal(block, 108, 8, 0);
        octal(block, 116, 8, 0);
        octal(block, 124, 12, data.size());
        octal(block, 136, 12, 0);
        block[156] = 'x';
        putUstarMagic(block);
        writeHeader(block);
        data.writeTo(out);
        out.write(new byte[(BLOCK - data.size() % BLOCK) % BLOCK]);
    }

    private void writeHeader(byte[] block) throws IOException {
        Arrays.fill(block, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        String digits = Long.toOctalString(sum);
        String padded = "0".repeat(6 - digits.length()) + digits;
        for (int i = 0; i < 6; i++) {
            block[148 + i] = (byte) padded.charAt(i);
        }
        block[154] = 0;
        out.write(block);
    }
}
