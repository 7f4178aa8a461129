package dev.berth.linux;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected {@code AF_UNIX}/{@code SOCK_SEQPACKET} client socket, which the JDK's channels do not offer: message boundaries
 * are kept, so each {@link #receive} returns exactly one packet the peer sent. conmon's attach socket is one.
 *
 * <p>Calls block the calling thread in native code, so a thread that waits in {@link #receive} should be a platform thread:
 * a virtual thread would hold its carrier for as long as it waits. Threading: one thread may receive while another sends;
 * {@link #shutdown} from any thread wakes a blocked receiver (it then sees end of stream). {@link #close} releases the
 * descriptor and must be called once, when no other thread is inside {@link #receive} or {@link #send} any more.
 */
public final class SeqPacketSocket implements Closeable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;
    private static final int ENOTCONN = 107;
    /** sizeof(struct sockaddr_un): a 2-byte family and 108 bytes of path. */
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int SUN_PATH_MAX = 107;

    private static final MethodHandle SOCKET = Libc.bind("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CONNECT = Libc.bind("connect",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = Libc.bind("recv",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT));
    private static final MethodHandle SEND = Libc.bind("send",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT));
    private static final MethodHandle SHUTDOWN = Libc.bind("shutdown",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = Libc.bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final int fd;
    private final String path;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SeqPacketSocket(int fd, String path) {
        this.fd = fd;
        this.path = path;
    }

    /** Connects to the socket at {@code path}, whose text must fit in sockaddr_un (107 bytes). */
    public static SeqPacketSocket connect(Path path) throws IOException {
        String text = path.toString();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > SUN_PATH_MAX) {
            throw new IOException("connect " + text + ": socket path longer than " + SUN_PATH_MAX + " bytes");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int fd = (int) SOCKET.invokeExact(err, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw LinuxException.of("socket", text, Libc.errno(err));
            }
            MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 2, bytes.length);
            int rc;
            do {
                rc = (int) CONNECT.invokeExact(err, fd, address, SOCKADDR_UN_SIZE);
            } while (rc < 0 && Libc.errno(err) == Errno.EINTR);
            if (rc < 0) {
                int errno = Libc.errno(err);
                int ignored = (int) CLOSE.invokeExact(err, fd); // the connect error is the one worth reporting
                throw LinuxException.of("connect", text, errno);
            }
            return new SeqPacketSocket(fd, text);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("connect " + text, t);
        }
    }

    /**
     * Receives one packet into {@code buffer}; returns its length, or -1 at end of stream. A packet longer than the buffer is
     * truncated, so size the buffer for the largest packet the peer sends.
     */
    public int receive(byte[] buffer) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            MemorySegment native_ = arena.allocate(buffer.length);
            long n;
            do {
                n = (long) RECV.invokeExact(err, fd, native_, (long) buffer.length, 0);
            } while (n < 0 && Libc.errno(err) == Errno.EINTR);
            if (n < 0) {
                throw LinuxException.of("recv", path, Libc.errno(err));
            }
            if (n == 0) {
                return -1;
            }
            MemorySegment.copy(native_, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) n);
            return (int) n;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("recv " + path, t);
        }
    }

    /** Sends {@code length} bytes as one packet. */
    public void send(byte[] data, int offset, int length) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            MemorySegment native_ = arena.allocate(Math.max(1, length));
            MemorySegment.copy(data, offset, native_, ValueLayout.JAVA_BYTE, 0, length);
            long n;
            do {
                n = (long) SEND.invokeExact(err, fd, native_, (long) length, MSG_NOSIGNAL);
            } while (n < 0 && Libc.errno(err) == Errno.EINTR);
            if (n < 0) {
                throw LinuxException.of("send", path, Libc.errno(err));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("send " + path, t);
        }
    }

    /** Tells the peer no more data will be sent (it reads end of stream); receiving goes on. */
    public void shutdownOutput() throws IOException {
        shutdown(SHUT_WR);
    }

    /** Ends both directions; a thread blocked in {@link #receive} returns -1. */
    public void shutdown() throws IOException {
        shutdown(SHUT_RDWR);
    }

    private void shutdown(int how) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int rc = (int) SHUTDOWN.invokeExact(err, fd, how);
            if (rc < 0 && Libc.errno(err) != ENOTCONN) { // the peer already went away, which is the goal
                throw LinuxException.of("shutdown", path, Libc.errno(err));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("shutdown " + path, t);
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment(arena);
            int rc = (int) CLOSE.invokeExact(err, fd);
            if (rc < 0) {
                throw LinuxException.of("close", path, Libc.errno(err));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("close " + path, t);
        }
    }
}
