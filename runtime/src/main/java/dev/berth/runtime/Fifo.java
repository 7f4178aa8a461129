package dev.berth.runtime;

import dev.berth.linux.Libc;
import dev.berth.linux.LinuxException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** Named pipes, which the JDK cannot create. */
final class Fifo {
    private static final MethodHandle MKFIFO = Libc.bind("mkfifo",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Fifo() {}

    static void create(Path path, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int rc = (int) MKFIFO.invokeExact(err, Libc.cString(arena, path.toString()), mode);
            if (rc < 0) {
                throw LinuxException.of("mkfifo", path.toString(), Libc.errno(err));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mkfifo " + path, t);
        }
    }
}
