package dev.berth.store;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tar entry names and link targets as paths inside a layer root, checked lexically as Docker's pkg/archive does
 * (DESIGN.md §6). Cleaned paths are relative, slash-separated, without "." or ".." components; "" is the root itself.
 */
final class EntryPath {
    private EntryPath() {}

    /** The cleaned name of an entry; absolute names and names that climb out of the root with ".." are refused. */
    static String clean(String name) throws IOException {
        checkNul(name, name);
        if (name.startsWith("/")) {
            throw invalid(name, "absolute path");
        }
        String cleaned = resolve(name);
        if (cleaned == null) {
            throw invalid(name, "path escapes the layer root");
        }
        return cleaned;
    }

    /** The cleaned target of a hard link, which names another entry of the same layer. */
    static String hardLinkTarget(String name, String target) throws IOException {
        checkNul(name, target);
        String cleaned = target.startsWith("/") ? null : resolve(target);
        if (cleaned == null || cleaned.isEmpty()) {
            throw invalid(name, "hard link target \"" + target + "\" escapes the layer root");
        }
        return cleaned;
    }

    /**
     * Refuses a symlink whose relative target, resolved from the link's own directory, leaves the root. Absolute targets
     * are fine: they are resolved inside the container's root when used, and Berth never follows them while unpacking.
     */
    static void checkSymlink(String name, String cleanedName, String target) throws IOException {
        checkNul(name, target);
        if (target.isEmpty()) {
            throw invalid(name, "empty symlink target");
        }
        if (target.startsWith("/")) {
            return;
        }
        int slash = cleanedName.lastIndexOf('/');
        String dir = slash < 0 ? "" : cleanedName.substring(0, slash);
        if (resolve(dir + "/" + target) == null) {
            throw invalid(name, "symlink target \"" + target + "\" escapes the layer root");
        }
    }

    static IOException invalid(String name, String why) {
        return new IOException("invalid tar entry \"" + name + "\": " + why);
    }

    /** Lexical cleaning of a relative path; null when a ".." would climb above the root. */
    private static String resolve(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private static void checkNul(String name, String path) throws IOException {
        if (path.indexOf('\0') >= 0) {
            throw invalid(name, "NUL byte in path");
        }
    }
}
