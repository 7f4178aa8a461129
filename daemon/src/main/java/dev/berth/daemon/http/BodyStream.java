package dev.berth.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A request body (or, after a hijack, the client's raw bytes) as a blocking {@link InputStream}.
 *
 * <p>The event loop {@link #offer offers} buffers; a handler thread reads them. When more than {@link #HIGH_WATER} buffers
 * wait, the channel stops reading from the socket until the reader catches up, so a large upload never piles up in memory.
 */
final class BodyStream extends InputStream {
    private static final int HIGH_WATER = 16;

    private final Channel channel;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private boolean ended;
    private boolean closed;

    BodyStream(Channel channel) {
        this.channel = channel;
    }

    synchronized void offer(ByteBuf buf) {
        if (closed) {
            buf.release();
            return;
        }
        queue.add(buf);
        if (queue.size() > HIGH_WATER) {
            channel.config().setAutoRead(false);
        }
        notifyAll();
    }

    /** No more bytes will come (end of body, half-close or connection closed). */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    @Override
    public synchronized int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (queue.isEmpty()) {
            if (ended || closed) {
                return -1;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the request body", e);
            }
        }
        ByteBuf head = queue.peek();
        int n = Math.min(len, head.readableBytes());
        head.readBytes(b, off, n);
        if (!head.isReadable()) {
            queue.poll().release();
            if (queue.size() <= HIGH_WATER / 2 && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return queue.isEmpty() ? 0 : queue.peek().readableBytes();
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.forEach(ByteBuf::release);
        queue.clear();
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        notifyAll();
    }
}
