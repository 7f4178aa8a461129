package dev.berth.runtime;

import dev.berth.linux.SeqPacketSocket;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * A connection to conmon's attach socket: the container's output, demultiplexed, and a sink for its stdin.
 *
 * <p>Protocol (conmon {@code conn_sock.c}): a {@code SOCK_SEQPACKET} socket; every packet conmon sends is one read of the
 * container's output, prefixed by one byte naming the pipe (2 stdout, 3 stderr; with a terminal everything is stdout);
 * every packet we send is written to the container's stdin (or the terminal). When we shut our sending side down, conmon
 * closes the container's stdin, unless the container was created with stdin kept open across attaches. When the container
 * exits, conmon closes the socket and {@link #read()} returns empty.
 *
 * <p>Threading: one thread calls {@link #read()} (a platform thread: it waits in native code), another may write to
 * {@link #stdin()}; {@link #close()} may be called from any thread and wakes the reader. The caller owns the session and
 * must close it; closing does not affect the container.
 */
public final class Attach implements Closeable {
    /** conmon reads and forwards at most 8192 bytes at a time, plus the stream byte; larger packets would be truncated. */
    private static final int PACKET_SIZE = 65536;
    /** conmon reads at most 32 KiB - 1 from a client in one packet; stay well below. */
    private static final int STDIN_PACKET_SIZE = 8192;
    private static final byte STDOUT_PIPE = 2;
    private static final byte STDERR_PIPE = 3;

    /** One read of container output. */
    public record Chunk(LogStream stream, byte[] data) {}

    private final SeqPacketSocket socket;
    private final String containerId;
    private final byte[] buffer = new byte[PACKET_SIZE];
    private int users;
    private boolean closed;

    Attach(SeqPacketSocket socket, String containerId) {
        this.socket = socket;
        this.containerId = containerId;
    }

    /** Blocks for the next chunk of output; empty when the container's output has ended or the session was closed. */
    public Optional<Chunk> read() throws IOException {
        while (true) {
            if (!enter()) {
                return Optional.empty();
            }
            int n;
            try {
                n = socket.receive(buffer);
            } finally {
                leave();
            }
            if (n < 0) {
                return Optional.empty();
            }
            if (n < 2) {
                continue; // an empty read carries no output
            }
            LogStream stream = switch (buffer[0]) {
                case STDOUT_PIPE -> LogStream.STDOUT;
                case STDERR_PIPE -> LogStream.STDERR;
                default -> throw new IOException("attach to container " + containerId + ": unknown stream " + buffer[0]
                        + " from conmon");
            };
            return Optional.of(new Chunk(stream, Arrays.copyOfRange(buffer, 1, n)));
        }
    }

    /** The container's stdin; closing it signals end of input (the container reads EOF unless stdin stays open). */
    public OutputStream stdin() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] data, int offset, int length) throws IOException {
                for (int done = 0; done < length; ) {
                    int chunk = Math.min(STDIN_PACKET_SIZE, length - done);
                    if (!enter()) {
                        throw new IOException("attach to container " + containerId + " is closed");
                    }
                    try {
                        socket.send(data, offset + done, chunk);
                    } finally {
                        leave();
                    }
                    done += chunk;
                }
            }

            @Override
            public void close() throws IOException {
                if (enter()) {
                    try {
                        socket.shutdownOutput();
                    } finally {
                        leave();
                    }
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        boolean release;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            socket.shutdown();
            release = users == 0;
        }
        if (release) {
            socket.close();
        }
    }

    // The descriptor is released only when no thread is inside a call, so its number cannot be reused under a reader.
    private synchronized boolean enter() {
        if (closed) {
            return false;
        }
        users++;
        return true;
    }

    private void leave() throws IOException {
        boolean release;
        synchronized (this) {
            users--;
            release = closed && users == 0;
        }
        if (release) {
            socket.close();
        }
    }
}
