package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the log directories of the daemon's containers with one inotify instance (the kernel allows few per user, 128
 * on these machines, but many watches on one): it keeps the generations of running containers' logs ({@link LogFiles})
 * as conmon starts new files, and wakes {@link Follower}s when a log grows.
 *
 * <p>File-creation events are watched for every tracked directory; they are rare (one per rotation). Modification
 * events come with every write of a busy container, so they are asked for only while a follower is waiting, and only
 * once: the first one disarms the directory again, and the follower re-arms after it has read what was written. A
 * follower of a container writing without pause therefore costs one wake-up per read, not one per write.
 *
 * <p>Threading: one platform thread of its own receives events; rotation work runs on virtual threads, one at a time
 * per directory. Every method may be called from any thread.
 */
public final class LogWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogWatcher.class.getName());

    private final WatchService watch;
    private final Map<Path, Dir> dirs = new ConcurrentHashMap<>();
    private final Thread thread;

    public LogWatcher() throws IOException {
        this.watch = Path.of("/").getFileSystem().newWatchService();
        this.thread = Thread.ofPlatform().daemon().name("berth-logs").start(this::run);
    }

    /** One watched directory: whether its container runs (then its policy), and the followers waiting on it. */
    private final class Dir {
        final LogFiles files;
        LogPolicy policy;
        final Set<Follower> followers = new HashSet<>();
        final Set<Follower> armed = new HashSet<>();
        WatchKey key;
        boolean modifyWatched;
        boolean maintaining;
        boolean maintainAgain;

        Dir(LogFiles files) {
            this.files = files;
        }

        /** Registers the events the directory needs now; cancels the watch when nothing needs it. */
        void update() throws IOException {
            boolean wantModify = !armed.isEmpty();
            if (policy == null && followers.isEmpty()) {
                if (key != null) {
                    key.cancel();
                    key = null;
                }
                dirs.remove(files.dir(), this);
                return;
            }
            if (key == null || wantModify != modifyWatched) {
                key = wantModify
                        ? files.dir().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY)
                        : files.dir().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
                modifyWatched = wantModify;
            }
        }
    }

    private Dir dir(LogFiles files) {
        return dirs.computeIfAbsent(files.dir(), d -> new Dir(files));
    }

    /** Keeps the log's generations in line with {@code policy} while the container runs (call at start and recovery). */
    public void track(LogFiles files, LogPolicy policy) throws IOException {
        Dir d = dir(files);
        synchronized (d) {
            d.policy = policy;
            d.update();
        }
        maintain(d);
    }

    /** The container stopped: settles its files one last time and stops watching them for rotation. */
    public void untrack(LogFiles files) {
        Dir d = dirs.get(files.dir());
        if (d == null) {
            return;
        }
        LogPolicy policy;
        synchronized (d) {
            policy = d.policy;
            d.policy = null;
            try {
                d.update();
            } catch (IOException e) {
                LOG.log(Level.FINE, "cannot update the watch on " + files.dir(), e);
            }
        }
        if (policy != null) {
            try {
                files.maintain(policy);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot rotate the log in " + files.dir(), e);
            }
        }
    }

    /** A reader waiting for a log to grow or rotate. Close it when done. */
    public final class Follower implements AutoCloseable {
        private final Dir dir;
        private final Semaphore signal = new Semaphore(0);

        private Follower(Dir dir) {
            this.dir = dir;
        }

        /**
         * Asks to be woken at the next change. Read the file once more after arming: what was written between the last read
         * and this call raised no event.
         */
        public void arm() throws IOException {
            signal.drainPermits();
            synchronized (dir) {
                dir.armed.add(this);
                dir.update();
            }
        }

        /** Waits for the change asked for with {@link #arm}; false when the timeout passed first. */
        public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
            return signal.tryAcquire(timeout, unit);
        }

        void wake() {
            if (signal.availablePermits() == 0) {
                signal.release();
            }
        }

        @Override
        public void close() {
            synchronized (dir) {
                dir.followers.remove(this);
                dir.armed.remove(this);
                try {
                    dir.update();
                } catch (IOException e) {
                    LOG.log(Level.FINE, "cannot update the watch on " + dir.files.dir(), e);
                }
            }
        }
    }

    public Follower follow(LogFiles files) throws IOException {
        while (true) {
            Dir d = dir(files);
            synchronized (d) {
                if (dirs.get(files.dir()) != d) {
                    continue; // removed by a concurrent close or untrack: take the new one
                }
                Follower f = new Follower(d);
                d.followers.add(f);
                d.update();
                return f;
            }
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                Dir d = dirs.get((Path) key.watchable());
                Path logName = d == null ? null : d.files.current().getFileName();
                java.util.regex.Pattern written = d == null ? null
                        : java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(logName.toString()) + "(\\.\\d+)?");
                boolean logChanged = false;
                boolean logCreated = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    boolean overflow = event.kind() == StandardWatchEventKinds.OVERFLOW;
                    // conmon writes a generation through the link ctr.log; a rotation renames a new link to ctr.log
                    logChanged |= overflow || (event.context() instanceof Path p && written.matcher(p.toString()).matches());
                    logCreated |= overflow || (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                            && event.context() instanceof Path p && p.equals(logName));
                }
                key.reset();
                if (d == null || !logChanged) {
                    continue;
                }
                wakeArmed(d);
                if (logCreated) {
                    Thread.ofVirtual().start(() -> maintain(d));
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Wakes the armed followers and stops asking for modification events until one of them arms again. */
    private void wakeArmed(Dir d) {
        synchronized (d) {
            d.armed.forEach(Follower::wake);
            d.armed.clear();
            // a rotation concerns the followers that are busy reading too: they check for it before they arm again
            try {
                d.update();
            } catch (IOException e) {
                LOG.log(Level.FINE, "cannot update the watch on " + d.files.dir(), e);
            }
        }
    }

    /** Runs {@link LogFiles#maintain}, once at a time per directory, again if asked meanwhile. */
    private void maintain(Dir d) {
        synchronized (d) {
            if (d.maintaining) {
                d.maintainAgain = true;
                return;
            }
            d.maintaining = true;
        }
        while (true) {
            LogPolicy policy;
            synchronized (d) {
                policy = d.policy;
                d.maintainAgain = false;
            }
            try {
                if (policy != null) {
                    d.files.maintain(policy);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot rotate the log in " + d.files.dir(), e);
            }
            synchronized (d) {
                if (!d.maintainAgain) {
                    d.maintaining = false;
                    return;
                }
            }
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
