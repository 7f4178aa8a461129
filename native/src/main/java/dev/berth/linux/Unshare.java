package dev.berth.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** unshare(2): moves the calling thread, and only it, into new namespaces. */
public final class Unshare {
    public static final int CLONE_NEWNET = 0x40000000;

    private static final MethodHandle UNSHARE =
            Libc.bind("unshare", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Unshare() {}

    public static void unshare(int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.check(arena, "unshare", "thread", err -> (int) UNSHARE.invokeExact(err, flags));
        }
    }
}
