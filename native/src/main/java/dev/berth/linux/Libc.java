package dev.berth.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The C library as seen through the foreign function API: looks up symbols and binds them so that every call
 * captures {@code errno} in a segment the caller passes first.
 *
 * <p>Usage: {@code MethodHandle h = Libc.bind("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ...))}, then
 * {@code try (Arena a = Arena.ofConfined()) { MemorySegment err = Libc.errnoSegment(a); int rc = (int) h.invokeExact(err, ...);
 * if (rc < 0) throw LinuxException.of("mount", path, Libc.errno(err)); }}.
 */
// This is the one place that calls restricted FFM methods; callers run with --enable-native-access.
@SuppressWarnings("restricted")
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle STRERROR =
            bindPlain("strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Libc() {}

    /** Binds a C function whose calls capture errno: the returned handle takes the capture segment as first argument. */
    public static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        return bind(name, descriptor, new Linker.Option[0]);
    }

    /** As {@link #bind(String, FunctionDescriptor)}, with more linker options, e.g. {@code firstVariadicArg} for open(2). */
    public static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library has no symbol " + name));
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    /** Binds a C function that does not report through errno. */
    public static MethodHandle bindPlain(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** A segment to receive errno, allocated in the caller's arena. */
    public static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** The errno captured by the last call that was given {@code segment}. */
    public static int errno(MemorySegment segment) {
        return (int) ERRNO.get(segment, 0L);
    }

    /** The C library's text for an errno value, e.g. "No such file or directory". */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("strerror failed", t);
        }
    }

    /** A call through a handle from {@link #bind}, given the errno segment to pass first; returns the C result. */
    @FunctionalInterface
    interface Call {
        long invoke(MemorySegment errno) throws Throwable;
    }

    /**
     * Makes {@code call} and turns a negative result into a {@link LinuxException} naming {@code what} and {@code object};
     * otherwise returns the result. Arguments the call needs are allocated by the caller in {@code arena}.
     */
    static long check(Arena arena, String what, Object object, Call call) throws LinuxException {
        MemorySegment err = errnoSegment(arena);
        long rc;
        try {
            rc = call.invoke(err);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) { // invokeExact declares Throwable; a correctly bound handle throws nothing else
            throw new IllegalStateException(what + " " + object, t);
        }
        if (rc < 0) {
            throw LinuxException.of(what, String.valueOf(object), errno(err));
        }
        return rc;
    }

    /** Allocates a NUL-terminated C string in {@code arena}. */
    public static MemorySegment cString(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }
}
