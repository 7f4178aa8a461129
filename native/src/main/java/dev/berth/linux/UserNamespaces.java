package dev.berth.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * User namespaces made before a container: a short-lived process in a new namespace provides it, and an nsfs bind
 * mount on a file keeps it, as {@code ip netns add} keeps network namespaces. A container's network namespace is made
 * inside its user namespace, so that the container's root may enter it later ({@code runc exec} joins the user
 * namespace first).
 */
public final class UserNamespaces {
    private UserNamespaces() {}

    /** Makes {@code file} a user namespace with {@code map}, unless it already is one. */
    public static void create(Path file, IdMap map) throws IOException {
        if (isNamespaceFile(file)) {
            return;
        }
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        Process holder = start(map);
        try {
            Mounts.mount("/proc/" + holder.pid() + "/ns/user", file, null, Mounts.MS_BIND, null);
        } finally {
            holder.destroyForcibly();
        }
    }

    /** Whether {@code file} is a namespace kept by a bind mount: a file of nsfs, the namespace file system. */
    public static boolean isNamespaceFile(Path file) throws IOException {
        return Files.exists(file) && Files.getAttribute(file, "unix:dev")
                .equals(Files.getAttribute(Path.of("/proc/self/ns/user"), "unix:dev"));
    }

    /** Unmounts and deletes {@code file}; missing is fine. */
    public static void remove(Path file) throws IOException {
        try {
            Mounts.umount2(file, Mounts.MNT_DETACH);
        } catch (LinuxException e) {
            // EINVAL: not mounted; ENOENT: gone
        }
        Files.deleteIfExists(file);
    }

    /** A process in a new user namespace with {@code map} written, alive until the caller ends it. */
    static Process start(IdMap map) throws IOException {
        Process p = spawnUntilIn(new ProcessBuilder("unshare", "--user", "--", "sleep", "30"), "user");
        try {
            Files.writeString(Path.of("/proc", Long.toString(p.pid()), "uid_map"), IdMap.procFormat(map.uids()));
            Files.writeString(Path.of("/proc", Long.toString(p.pid()), "gid_map"), IdMap.procFormat(map.gids()));
            return p;
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /**
     * Starts {@code command}, which enters a new namespace of {@code type} ("user", "net") and then waits, and returns
     * once it is in it; the caller ends it.
     */
    public static Process spawnUntilIn(ProcessBuilder command, String type) throws IOException {
        Process p = command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path ns = Path.of("/proc", Long.toString(p.pid()), "ns", type);
            Path own = Files.readSymbolicLink(Path.of("/proc/self/ns", type));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.readSymbolicLink(ns).equals(own)) { // not in its namespace yet
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("cannot create a " + type + " namespace: " + String.join(" ", command.command())
                            + (p.isAlive() ? " did not make it in 5 s" : " exited with " + p.exitValue()));
                }
                Thread.sleep(1);
            }
            return p;
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating a " + type + " namespace", e);
        }
    }
}
