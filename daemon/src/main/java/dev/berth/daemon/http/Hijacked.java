package dev.berth.daemon.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A connection taken over after a 101: the client's bytes in, raw bytes out. Closing it closes the connection. */
public final class Hijacked implements AutoCloseable {
    private final Channel channel;
    private final InputStream in;
    private final OutputStream out;

    Hijacked(Channel channel, InputStream in) {
        this.channel = channel;
        this.in = in;
        this.out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (!channel.isActive()) {
                    throw new IOException("client closed the connection");
                }
                ChannelFuture f = channel.writeAndFlush(Unpooled.copiedBuffer(b, off, len));
                if (!channel.isWritable()) {
                    f.syncUninterruptibly();
                }
            }

            @Override
            public void close() {
                Hijacked.this.close();
            }
        };
    }

    /** What the client sends; ends when the client half-closes or disconnects. */
    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        if (channel instanceof DuplexChannel duplex && channel.isActive()) {
            duplex.shutdownOutput().addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }
}
