package dev.berth.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The mount table of this process's mount namespace, as /proc/self/mountinfo lists it. */
public final class MountInfo {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountInfo() {}

    /** Whether something is mounted on {@code path} (after resolving symlinks, as the kernel lists real paths). */
    public static boolean isMountPoint(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return false;
        }
        String target = path.toRealPath().toString();
        // Decoded leniently: other mounts may have names that are not UTF-8.
        for (String line : new String(Files.readAllBytes(MOUNTINFO), StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && unescape(fields[4]).equals(target)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo writes space, tab, newline and backslash in paths as three octal digits, e.g. "\040". */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
