package dev.berth.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * File system calls the JDK does not offer, or not safely: device nodes, and modes, times and extended attributes of the
 * path itself (never of what a symlink points to), and syncfs. The JDK's NOFOLLOW_LINKS mode and time changes open the
 * file first, which blocks on a fifo and is no way to treat a device node. Ownership is left to
 * {@code java.nio.file.Files}, whose NOFOLLOW_LINKS uid/gid change is lchown(2) by path.
 */
public final class FileOps {
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private static final MethodHandle MKNOD = Libc.bind("mknod",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle FCHMODAT = Libc.bind("fchmodat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle UTIMENSAT = Libc.bind("utimensat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle LSETXATTR = Libc.bind("lsetxattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle LGETXATTR = Libc.bind("lgetxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle LLISTXATTR = Libc.bind("llistxattr",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    // open(2) is variadic (the mode follows the flags), which the linker must be told.
    private static final MethodHandle OPEN = Libc.bind("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SYNCFS = Libc.bind("syncfs", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = Libc.bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private FileOps() {}

    /**
     * Creates a device node or fifo: {@code mode} is one of the S_IF* types or'ed with the permission bits (which the
     * process umask reduces, as for any new file), {@code dev} a number from {@link #makedev}. Fails if {@code path} exists.
     */
    public static void mknod(Path path, int mode, long dev) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            Libc.check(arena, "mknod", path, err -> (int) MKNOD.invokeExact(err, p, mode, dev));
        }
    }

    /**
     * Sets the permission bits of {@code path} itself, setuid, setgid and sticky included; fails with ENOTSUP on a symlink
     * (whose mode Linux ignores).
     */
    public static void lchmod(Path path, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            Libc.check(arena, "chmod", path, err -> (int) FCHMODAT.invokeExact(err, AT_FDCWD, p, mode, AT_SYMLINK_NOFOLLOW));
        }
    }

    /** Sets the access and modification times of {@code path} itself (of a symlink, not its target), to the nanosecond. */
    public static void lutimes(Path path, Instant atime, Instant mtime) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            // struct timespec times[2] = {atime, mtime}, each {time_t tv_sec; long tv_nsec}
            MemorySegment times = arena.allocateFrom(ValueLayout.JAVA_LONG,
                    atime.getEpochSecond(), atime.getNano(), mtime.getEpochSecond(), mtime.getNano());
            Libc.check(arena, "utimensat", path,
                    err -> (int) UTIMENSAT.invokeExact(err, AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW));
        }
    }

    /** glibc's encoding of a device number: 12 bits of major and 20 of minor, spread as makedev(3) does. */
    public static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    /** Sets extended attribute {@code name} of {@code path} itself (a symlink is not followed), creating or replacing it. */
    public static void lsetxattr(Path path, String name, byte[] value) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            MemorySegment n = Libc.cString(arena, name);
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            Libc.check(arena, "lsetxattr " + name, path,
                    err -> (int) LSETXATTR.invokeExact(err, p, n, v, (long) value.length, 0));
        }
    }

    /** The value of extended attribute {@code name} of {@code path} itself, or empty if it has none by that name. */
    public static Optional<byte[]> lgetxattr(Path path, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            MemorySegment n = Libc.cString(arena, name);
            while (true) {
                long size = Libc.check(arena, "lgetxattr " + name, path,
                        err -> (long) LGETXATTR.invokeExact(err, p, n, MemorySegment.NULL, 0L));
                MemorySegment buffer = arena.allocate(Math.max(1, size));
                try {
                    long length = Libc.check(arena, "lgetxattr " + name, path,
                            err -> (long) LGETXATTR.invokeExact(err, p, n, buffer, size));
                    return Optional.of(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
                } catch (LinuxException e) {
                    if (e.errno() != Errno.ERANGE) { // ERANGE: the value grew between the two calls; ask again
                        throw e;
                    }
                }
            }
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENODATA) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The names of the extended attributes of {@code path} itself; none on a file system without them. */
    public static List<String> llistxattr(Path path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            while (true) {
                long size = Libc.check(arena, "llistxattr", path,
                        err -> (long) LLISTXATTR.invokeExact(err, p, MemorySegment.NULL, 0L));
                MemorySegment buffer = arena.allocate(Math.max(1, size));
                try {
                    long length = Libc.check(arena, "llistxattr", path,
                            err -> (long) LLISTXATTR.invokeExact(err, p, buffer, size));
                    return splitNames(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
                } catch (LinuxException e) {
                    if (e.errno() != Errno.ERANGE) { // ERANGE: attributes were added between the two calls; ask again
                        throw e;
                    }
                }
            }
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENOTSUP) {
                return List.of();
            }
            throw e;
        }
    }

    /** The kernel lists names as NUL-terminated strings, one after the other. */
    private static List<String> splitNames(byte[] list) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] == 0) {
                names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }

    /**
     * Flushes everything written to the file system that holds {@code path} to disk: one call makes a whole unpacked tree
     * durable, where fsync would be needed on every file and directory.
     */
    public static void syncfs(Path path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = Libc.cString(arena, path.toString());
            int fd = (int) Libc.check(arena, "open", path, err -> (int) OPEN.invokeExact(err, p, O_RDONLY | O_CLOEXEC, 0));
            try {
                Libc.check(arena, "syncfs", path, err -> (int) SYNCFS.invokeExact(err, fd));
            } finally {
                Libc.check(arena, "close", path, err -> (int) CLOSE.invokeExact(err, fd));
            }
        }
    }
}
