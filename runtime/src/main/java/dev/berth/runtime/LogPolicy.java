package dev.berth.runtime;

/**
 * How a container's log is kept on disk.
 *
 * @param enabled  false for the {@code none} driver: conmon writes no file at all (attach still works)
 * @param maxSize  bytes after which conmon starts a new file; -1 for no limit (one file that grows)
 * @param maxFiles how many files to keep, the one being written included (at least 1)
 * @param compress gzip the files that are no longer written
 */
public record LogPolicy(boolean enabled, long maxSize, int maxFiles, boolean compress) {
    public static final LogPolicy NONE = new LogPolicy(false, -1, 1, false);

    public LogPolicy {
        if (maxFiles < 1) {
            throw new IllegalArgumentException("max-file cannot be less than 1");
        }
    }
}
