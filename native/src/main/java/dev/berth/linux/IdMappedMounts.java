package dev.berth.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Idmapped bind mounts (Linux 5.12+): a view of a directory in which files owned by host id {@code i} appear owned by
 * {@code map.hostUid(i)}, without changing a byte on disk. Image layers stay as they were unpacked, shared by every
 * container, yet a container whose root is host uid 100000 sees them owned by its root.
 *
 * <p>The kernel takes the mapping from a user namespace: a short-lived {@code unshare --user} process provides one,
 * whose namespace lives on as long as the mount refers to it.
 */
public final class IdMappedMounts {
    private static final int AT_FDCWD = -100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int OPEN_TREE_CLONE = 1;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    private static final long MOUNT_ATTR_IDMAP = 0x00100000;

    private static final MethodHandle OPEN_TREE = Libc.bind("open_tree", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle MOUNT_SETATTR = Libc.bind("mount_setattr", FunctionDescriptor.of(
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG));
    private static final MethodHandle MOVE_MOUNT = Libc.bind("move_mount", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle OPEN = Libc.bind("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = Libc.bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private IdMappedMounts() {}

    /** Mounts {@code source} on {@code target} (an existing directory) with the ids shifted by {@code map}. */
    public static void bind(Path source, Path target, IdMap map) throws IOException {
        Process holder = UserNamespaces.start(map);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ns = Libc.cString(arena, "/proc/" + holder.pid() + "/ns/user");
            int nsFd = (int) Libc.check(arena, "open", "user namespace",
                    err -> (int) OPEN.invokeExact(err, ns, O_RDONLY | O_CLOEXEC, 0));
            try {
                MemorySegment src = Libc.cString(arena, source.toString());
                int tree = (int) Libc.check(arena, "open_tree", source,
                        err -> (int) OPEN_TREE.invokeExact(err, AT_FDCWD, src, OPEN_TREE_CLONE | O_CLOEXEC));
                try {
                    // struct mount_attr { u64 attr_set, attr_clr, propagation, userns_fd; }
                    MemorySegment attr = arena.allocate(32);
                    attr.set(ValueLayout.JAVA_LONG, 0, MOUNT_ATTR_IDMAP);
                    attr.set(ValueLayout.JAVA_LONG, 24, nsFd);
                    MemorySegment empty = Libc.cString(arena, "");
                    Libc.check(arena, "idmap", source, err -> (int) MOUNT_SETATTR.invokeExact(err, tree, empty,
                            AT_EMPTY_PATH, attr, attr.byteSize()));
                    MemorySegment dst = Libc.cString(arena, target.toString());
                    Libc.check(arena, "move_mount to", target, err -> (int) MOVE_MOUNT.invokeExact(err, tree, empty,
                            AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH));
                } finally {
                    Libc.check(arena, "close", source, err -> (int) CLOSE.invokeExact(err, tree));
                }
            } finally {
                Libc.check(arena, "close", "user namespace", err -> (int) CLOSE.invokeExact(err, nsFd));
            }
        } finally {
            holder.destroyForcibly();
        }
    }
}
