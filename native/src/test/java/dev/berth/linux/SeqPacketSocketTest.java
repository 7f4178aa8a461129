package dev.berth.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqPacketSocketTest {
    private static final FunctionDescriptor INT_INT_INT_INT =
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle SOCKET = Libc.bind("socket", INT_INT_INT_INT);
    private static final MethodHandle BIND = Libc.bind("bind",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle LISTEN = Libc.bind("listen",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle ACCEPT = Libc.bind("accept",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle RECV = Libc.bind("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle SEND = Libc.bind("send", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = Libc.bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** A listening SOCK_SEQPACKET server, like conmon's attach socket, made with plain system calls. */
    private static int listen(Arena arena, Path path) throws Throwable {
        MemorySegment err = Libc.errnoSegment(arena);
        int fd = (int) SOCKET.invokeExact(err, 1, 5, 0);
        assertThat(fd).isNotNegative();
        MemorySegment address = arena.allocate(110);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 2, bytes.length);
        assertThat((int) BIND.invokeExact(err, fd, address, 110)).isZero();
        assertThat((int) LISTEN.invokeExact(err, fd, 1)).isZero();
        return fd;
    }

    @Test
    void packets_keepTheirBoundariesBothWays(@TempDir Path dir) throws Throwable {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment err = Libc.errnoSegment(arena);
            Path path = dir.resolve("attach");
            int server = listen(arena, path);
            try (SeqPacketSocket client = SeqPacketSocket.connect(path)) {
                int peer = (int) ACCEPT.invokeExact(err, server, MemorySegment.NULL, MemorySegment.NULL);
                MemorySegment out = arena.allocateFrom("\u0002hello", StandardCharsets.US_ASCII);
                assertThat((long) SEND.invokeExact(err, peer, out, 6L, 0)).isEqualTo(6);
                assertThat((long) SEND.invokeExact(err, peer, out, 3L, 0)).isEqualTo(3);

                byte[] buffer = new byte[100];
                int first = client.receive(buffer);
                assertThat(Arrays.copyOf(buffer, first)).isEqualTo("\u0002hello".getBytes(StandardCharsets.US_ASCII));
                assertThat(client.receive(buffer)).isEqualTo(3);

                client.send("input".getBytes(StandardCharsets.US_ASCII), 0, 5);
                MemorySegment in = arena.allocate(100);
                assertThat((long) RECV.invokeExact(err, peer, in, 100L, 0)).isEqualTo(5);
                client.shutdownOutput();
                assertThat((long) RECV.invokeExact(err, peer, in, 100L, 0)).as("end of stream after shutdownOutput").isZero();

                assertThat((int) CLOSE.invokeExact(err, peer)).isZero();
                assertThat(client.receive(buffer)).as("end of stream after the peer closed").isEqualTo(-1);
            } finally {
                int ignored = (int) CLOSE.invokeExact(err, server);
            }
        }
    }

    @Test
    void shutdown_wakesABlockedReceiver(@TempDir Path dir) throws Throwable {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment err = Libc.errnoSegment(arena);
            Path path = dir.resolve("s");
            int server = listen(arena, path);
            SeqPacketSocket client = SeqPacketSocket.connect(path);
            int peer = (int) ACCEPT.invokeExact(err, server, MemorySegment.NULL, MemorySegment.NULL);
            int[] result = {0};
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    result[0] = client.receive(new byte[10]);
                } catch (IOException e) {
                    result[0] = -2;
                }
            });
            Thread.sleep(100);
            client.shutdown();
            reader.join(5000);
            client.close();

            assertThat(reader.isAlive()).isFalse();
            assertThat(result[0]).isEqualTo(-1);
            int ignoredPeer = (int) CLOSE.invokeExact(err, peer);
            int ignoredServer = (int) CLOSE.invokeExact(err, server);
        }
    }

    @Test
    void connect_namesThePathWhenNothingListens(@TempDir Path dir) {
        assertThatThrownBy(() -> SeqPacketSocket.connect(dir.resolve("none")))
                .isInstanceOf(LinuxException.class)
                .hasMessage("connect " + dir.resolve("none") + ": No such file or directory");
        assertThatThrownBy(() -> SeqPacketSocket.connect(Path.of("/" + "x".repeat(120))))
                .hasMessageContaining("socket path longer than 107 bytes");
    }
}
