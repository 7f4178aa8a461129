package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a container's root filesystem the way the container would see it: symlinks are followed, but an
 * absolute link target or a ".." at the top stays inside the root (like Docker's {@code FollowSymlinkInScope}), so an image
 * cannot make the daemon read host files such as the host's /etc/passwd.
 */
public final class ScopedPath {
    /** The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS). */
    private static final int MAX_LINKS = 40;

    private ScopedPath() {}

    /** The host path for {@code containerPath} under {@code root}; the final component need not exist. */
    public static Path resolve(Path root, String containerPath) throws IOException {
        Deque<String> pending = new ArrayDeque<>(components(containerPath));
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
            Path candidate = hostPath(root, resolved).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links resolving " + containerPath + " in " + root);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> targetParts = components(target);
                for (int i = targetParts.size() - 1; i >= 0; i--) {
                    pending.addFirst(targetParts.get(i));
                }
                continue;
            }
            resolved.addLast(part);
        }
        Path result = hostPath(root, resolved);
        if (Files.isSymbolicLink(result)) {
            throw new IOException("unresolved symbolic link " + result);
        }
        return result;
    }

    /** Whether {@code path} is a regular file, not following a final symlink. */
    static boolean isRegularFile(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static Path hostPath(Path root, Deque<String> parts) {
        Path result = root;
        for (String part : parts) {
            result = result.resolve(part);
        }
        return result;
    }

    private static List<String> components(String path) {
        return List.of(path.split("/"));
    }
}
