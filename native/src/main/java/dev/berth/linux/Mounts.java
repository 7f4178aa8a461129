package dev.berth.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** mount(2) and umount2(2), with the flags Berth passes. */
public final class Mounts {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_BIND = 4096;
    /** umount2: detach now, free the mount once nothing uses it any more. */
    public static final int MNT_DETACH = 2;

    private static final MethodHandle MOUNT = Libc.bind("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle UMOUNT2 =
            Libc.bind("umount2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Mounts() {}

    /**
     * Mounts {@code source} of type {@code fstype} on {@code target}. {@code data} (may be null) is the file system's option
     * string; the kernel reads at most one page of it, so callers with long option lists must keep them shorter.
     */
    public static void mount(String source, Path target, String fstype, long flags, String data) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = Libc.cString(arena, source);
            MemorySegment dst = Libc.cString(arena, target.toString());
            MemorySegment type = Libc.cString(arena, fstype);
            MemorySegment options = Libc.cString(arena, data);
            Libc.check(arena, "mount " + fstype + " on", target,
                    err -> (int) MOUNT.invokeExact(err, src, dst, type, flags, options));
        }
    }

    /** Unmounts {@code target}; EINVAL means it is not a mount point, ENOENT that it does not exist. */
    public static void umount2(Path target, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = Libc.cString(arena, target.toString());
            Libc.check(arena, "umount", target, err -> (int) UMOUNT2.invokeExact(err, dst, flags));
        }
    }
}
