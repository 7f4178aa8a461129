package dev.berth.daemon.routes;

import dev.berth.engine.containers.OutputSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

/**
 * Writes container output to a client: raw bytes for a TTY container, else Docker's multiplexed frames
 * ({@code [stream,0,0,0,len(4 bytes, big-endian)]} then the payload; 1 stdout, 2 stderr).
 */
final class StreamSink implements OutputSink {
    static final String RAW = "application/vnd.docker.raw-stream";
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";

    private final OutputStream out;
    private final boolean raw;
    private final boolean stdout;
    private final boolean stderr;
    private final BooleanSupplier connected;

    StreamSink(OutputStream out, boolean raw, boolean stdout, boolean stderr) {
        this(out, raw, stdout, stderr, () -> true);
    }

    StreamSink(OutputStream out, boolean raw, boolean stdout, boolean stderr, BooleanSupplier connected) {
        this.out = out;
        this.raw = raw;
        this.stdout = stdout;
        this.stderr = stderr;
        this.connected = connected;
    }

    @Override
    public boolean connected() {
        return connected.getAsBoolean();
    }

    static String contentType(boolean raw) {
        return raw ? RAW : MULTIPLEXED;
    }

    @Override
    public synchronized void write(Stream stream, byte[] data, int off, int len) throws IOException {
        if ((stream == Stream.STDOUT && !stdout) || (stream == Stream.STDERR && !stderr) || len == 0) {
            return;
        }
        if (raw) {
            out.write(data, off, len);
            return;
        }
        byte[] frame = new byte[8 + len];
        frame[0] = (byte) stream.ordinal();
        frame[4] = (byte) (len >>> 24);
        frame[5] = (byte) (len >>> 16);
        frame[6] = (byte) (len >>> 8);
        frame[7] = (byte) len;
        System.arraycopy(data, off, frame, 8, len);
        out.write(frame);
    }
}
