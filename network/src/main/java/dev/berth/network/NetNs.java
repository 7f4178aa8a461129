package dev.berth.network;

import dev.berth.linux.LinuxException;
import dev.berth.linux.Mounts;
import dev.berth.linux.Unshare;
import dev.berth.linux.UserNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Persistent network namespaces: an nsfs bind mount on a file, as {@code ip netns add} makes them, so the namespace
 * exists before the container's process and outlives the daemon. A thread of its own makes it and then ends: a
 * thread that left the daemon's namespace never runs anything else.
 */
public final class NetNs {
    private NetNs() {}

    public static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        IOException[] failure = new IOException[1];
        Thread maker = Thread.ofPlatform().name("berth-netns").start(() -> {
            try {
                Unshare.unshare(Unshare.CLONE_NEWNET);
                Mounts.mount("/proc/thread-self/ns/net", file, null, Mounts.MS_BIND, null);
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        try {
            maker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating network namespace " + file, e);
        }
        if (failure[0] != null) {
            Files.deleteIfExists(file);
            throw new IOException("cannot create network namespace " + file + ": " + failure[0].getMessage(), failure[0]);
        }
    }

    /**
     * Creates the namespace inside the user namespace kept at {@code userns}, so that it belongs to it: a process of
     * that user namespace may then enter it, as {@code runc exec} of a container in it does. Null: as {@link #create}.
     */
    public static void create(Path file, Path userns) throws IOException {
        if (userns == null) {
            create(file);
            return;
        }
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        Process holder = UserNamespaces.spawnUntilIn(new ProcessBuilder("nsenter", "--user=" + userns, "--",
                "unshare", "--net", "--", "sleep", "30"), "net");
        try {
            Mounts.mount("/proc/" + holder.pid() + "/ns/net", file, null, Mounts.MS_BIND, null);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        } finally {
            holder.destroyForcibly();
        }
    }

    /** Unmounts and deletes the namespace file; a namespace nothing else holds then ends. Missing is fine. */
    public static void remove(Path file) throws IOException {
        try {
            Mounts.umount2(file, Mounts.MNT_DETACH);
        } catch (LinuxException e) {
            // EINVAL: not mounted (a crash between create and mount); ENOENT: already gone
        }
        Files.deleteIfExists(file);
    }
}
