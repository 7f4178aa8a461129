package dev.berth.api.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection to the daemon socket. Reads and writes go straight to the channel (not through
 * {@code Channels.newInputStream}, which serialises readers and writers on one lock) so a hijacked stream can copy
 * stdin in one thread while another reads output.
 */
final class UnixConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private UnixConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(new ChannelIn(channel), 16 * 1024);
        this.out = new BufferedOutputStream(new ChannelOut(channel), 16 * 1024);
    }

    static UnixConnection open(DaemonHost host) {
        try {
            return new UnixConnection(SocketChannel.open(UnixDomainSocketAddress.of(host.socket())));
        } catch (IOException e) {
            throw new DaemonUnreachableException(host.uri(), e);
        }
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    void shutdownOutput() throws IOException {
        out.flush();
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static final class ChannelIn extends InputStream {
        private final SocketChannel ch;

        ChannelIn(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n;
            do {
                n = ch.read(ByteBuffer.wrap(b, off, len));
            } while (n == 0);
            return n;
        }
    }

    private static final class ChannelOut extends OutputStream {
        private final SocketChannel ch;

        ChannelOut(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
