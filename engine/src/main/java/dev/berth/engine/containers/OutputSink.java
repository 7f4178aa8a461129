package dev.berth.engine.containers;

import java.io.IOException;

/** Receives a container's output, one chunk at a time, tagged with the stream it came from. */
@FunctionalInterface
public interface OutputSink {
    enum Stream { STDIN, STDOUT, STDERR }

    void write(Stream stream, byte[] data, int off, int len) throws IOException;

    /** Whether the receiver is still there; a follower with nothing to write stops when it is not. */
    default boolean connected() {
        return true;
    }
}
