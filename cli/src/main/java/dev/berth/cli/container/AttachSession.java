package dev.berth.cli.container;

import dev.berth.api.client.HijackedStream;
import dev.berth.api.client.StreamFrame;
import dev.berth.cli.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pumps a hijacked attach: the container's output to stdout/stderr (demultiplexed unless the container has a TTY) and,
 * with -i, the user's stdin to the container. Like docker's hijackedIOStreamer, the session ends when the output ends;
 * the end of stdin only half-closes the connection so the output keeps flowing.
 */
final class AttachSession {
    private final Cli cli;
    private final HijackedStream stream;
    private final boolean tty;
    private final boolean sendStdin;
    private final DetachKeys detachKeys;
    private final AtomicBoolean detached = new AtomicBoolean();

    AttachSession(Cli cli, HijackedStream stream, boolean tty, boolean sendStdin, DetachKeys detachKeys) {
        this.cli = cli;
        this.stream = stream;
        this.tty = tty;
        this.sendStdin = sendStdin;
        this.detachKeys = detachKeys;
    }

    /** Starts copying stdin (if attached) in the background; call before the container starts. */
    void startInput() {
        if (!sendStdin) {
            return;
        }
        Thread.ofVirtual().name("berth-stdin").start(this::copyInput);
    }

    /** Copies output until the daemon closes the stream; returns true when the user detached. */
    boolean copyOutput() throws IOException {
        InputStream in = stream.output();
        try {
            if (tty) {
                copyRaw(in, cli.out());
            } else {
                demux(in, cli.out(), cli.err());
            }
        } catch (IOException e) {
            if (!detached.get()) {
                throw e;
            }
        } finally {
            cli.out().flush();
            cli.err().flush();
            stream.close();
        }
        return detached.get();
    }

    private void copyInput() {
        byte[] buf = new byte[8192];
        OutputStream out = stream.input();
        try {
            int n;
            InputStream in = cli.in();
            while ((n = in.read(buf)) >= 0) {
                if (n == 0) {
                    continue;
                }
                if (detachKeys.feed(buf, 0, n)) {
                    detached.set(true);
                }
                out.write(buf, 0, n);
                out.flush();
            }
            stream.closeWrite();
        } catch (IOException e) {
            // The daemon closed the connection (container exited or detached): nothing more to send.
            return;
        }
    }

    private static void copyRaw(InputStream in, PrintStream out) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    static void demux(InputStream in, PrintStream out, PrintStream err) throws IOException {
        StreamFrame frame;
        while ((frame = StreamFrame.read(in)) != null) {
            PrintStream target = switch (frame.type()) {
                case StreamFrame.STDOUT, StreamFrame.STDIN -> out;
                case StreamFrame.STDERR -> err;
                case StreamFrame.SYSTEMERR -> throw new IOException(new String(frame.payload(),
                        java.nio.charset.StandardCharsets.UTF_8));
                default -> throw new IOException("Unrecognized input header: " + frame.type());
            };
            target.write(frame.payload());
            target.flush();
        }
    }
}
