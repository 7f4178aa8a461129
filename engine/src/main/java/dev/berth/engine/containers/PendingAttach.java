package dev.berth.engine.containers;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * An attach session that arrived before its container started. Start hands it to the runtime (between create and
 * start), which pumps it and calls {@link #finished()}; removal without start {@link #cancel()}s it.
 */
public final class PendingAttach {
    private final AttachOptions options;
    private final InputStream stdin;
    private final OutputSink sink;
    private final CountDownLatch done = new CountDownLatch(1);

    PendingAttach(AttachOptions options, InputStream stdin, OutputSink sink) {
        this.options = options;
        this.stdin = stdin;
        this.sink = sink;
    }

    public AttachOptions options() {
        return options;
    }

    public InputStream stdin() {
        return stdin;
    }

    public OutputSink sink() {
        return sink;
    }

    /** The session is over (process exited, client detached or went away). */
    public void finished() {
        done.countDown();
    }

    void cancel() {
        done.countDown();
    }

    void awaitEnd() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
