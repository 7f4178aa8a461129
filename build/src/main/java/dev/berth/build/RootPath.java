package dev.berth.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path under a root (a build context, an image's mounted filesystem) as a process chrooted there would:
 * symlinks are followed, but absolute targets and ".." stay inside the root, so a context's symlink to /etc/shadow or an
 * image's link to / never leads the daemon out of it.
 */
final class RootPath {
    private static final int MAX_LINKS = 40;

    private RootPath() {}

    /** The host path for {@code path} under {@code root}, following every symlink (the last one too) in scope. */
    static Path resolve(Path root, String path) throws IOException {
        Deque<String> pending = new ArrayDeque<>(components(path));
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                resolved.pollLast();
                continue;
            }
            Path candidate = join(root, resolved).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links resolving " + path);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> parts = components(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    pending.addFirst(parts.get(i));
                }
                continue;
            }
            resolved.addLast(part);
        }
        return join(root, resolved);
    }

    /** Whether a relative path, cleaned lexically, climbs above its root ("../x", "a/../../x"). */
    static boolean escapes(String path) {
        int depth = 0;
        for (String part : components(path)) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
