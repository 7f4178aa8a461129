package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Reports each watched container's exit once, as soon as conmon records it. One inotify instance serves every container
 * (the kernel allows few instances per user, 128 on these machines, but many watches), and a periodic sweep catches a
 * conmon that died without writing an exit file (killed with SIGKILL): it is reported with exit code 255, as Docker does
 * for a container whose shim vanished.
 *
 * <p>Threading: one platform thread of its own delivers exits, one at a time; {@link #watch} may be called from any thread.
 */
public final class ExitWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExitWatcher.class.getName());
    private static final long SWEEP_SECONDS = 2;
    private static final int VANISHED_EXIT_CODE = 255;

    /** Receives exits; called on the watcher's thread. */
    @FunctionalInterface
    public interface Listener {
        void exited(String id, ExitStatus status);
    }

    private final ContainerRuntime runtime;
    private final Listener listener;
    private final WatchService watch;
    private final Map<String, WatchKey> watched = new ConcurrentHashMap<>();
    private final Thread thread;

    public ExitWatcher(ContainerRuntime runtime, Listener listener) throws IOException {
        this.runtime = runtime;
        this.listener = listener;
        Path containers = runtime.containerDir("x").getParent();
        this.watch = containers.getFileSystem().newWatchService();
        this.thread = Thread.ofPlatform().daemon().name("berth-exits").start(this::run);
    }

    /** Every container the runtime has files for: call once at start-up, to pick up containers from a previous daemon. */
    public void watchExisting() throws IOException {
        Path containers = runtime.containerDir("x").getParent();
        if (!Files.isDirectory(containers)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(containers)) {
            for (Path dir : dirs.toList()) {
                if (Files.isDirectory(dir.resolve("exits"))) { // a daemon killed mid-create may leave a bare directory
                    watch(dir.getFileName().toString());
                }
            }
        }
    }

    /**
     * Starts watching a created container. An exit recorded before the watch began is reported too, from another thread:
     * the caller may hold locks the listener needs.
     */
    public void watch(String id) throws IOException {
        if (!watched.containsKey(id)) {
            watched.putIfAbsent(id, runtime.containerDir(id).resolve("exits")
                    .register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY));
        }
        Thread.ofVirtual().start(() -> check(id));
    }

    /** Stops watching (the container was removed from the runtime). */
    public void forget(String id) {
        WatchKey key = watched.remove(id);
        if (key != null) {
            key.cancel();
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.poll(SWEEP_SECONDS, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                    Path dir = (Path) key.watchable();
                    check(dir.getParent().getFileName().toString());
                } else {
                    for (String id : watched.keySet()) {
                        check(id);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Reports the exit if there is one; of concurrent checks, only the one that removes the watch reports. */
    private void check(String id) {
        WatchKey key = watched.get(id);
        if (key == null) {
            return;
        }
        try {
            Optional<ExitStatus> status = runtime.exitStatus(id);
            if (status.isEmpty() && !runtime.conmonAlive(id) && runtime.conmonPid(id).isPresent()) {
                // re-read: conmon writes the exit file just before it exits
                status = runtime.exitStatus(id).or(() -> Optional.of(new ExitStatus(VANISHED_EXIT_CODE, java.time.Instant.now())));
            }
            if (status.isPresent() && watched.remove(id, key)) {
                key.cancel();
                listener.exited(id, status.get());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot check the exit of container " + id, e);
        }
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            // nothing to do on shutdown
        }
        thread.interrupt();
    }
}
