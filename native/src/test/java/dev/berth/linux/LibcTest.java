package dev.berth.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

class LibcTest {
    @Test
    void bind_capturesErrnoOfAFailedCall() throws Throwable {
        MethodHandle rmdir = Libc.bind("rmdir", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int rc = (int) rmdir.invokeExact(err, Libc.cString(arena, "/nonexistent/berth-test-dir"));
            assertThat(rc).isEqualTo(-1);
            assertThat(Libc.errno(err)).isEqualTo(Errno.ENOENT);
        }
    }

    @Test
    void linuxException_namesCallObjectAndCause() {
        assertThat(LinuxException.of("mount", "/x", Errno.ENOENT))
                .hasMessage("mount /x: No such file or directory")
                .extracting(LinuxException::errno).isEqualTo(Errno.ENOENT);
    }
}
