package dev.berth.build;

import dev.berth.store.LayerStore;
import dev.berth.store.LayerTar;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** Turns an overlay upper dir into a stored layer: the diff is written as a tar and unpacked as it streams. */
public final class DiffLayer {
    private DiffLayer() {}

    /** Writes a layer tar. */
    public interface Diff {
        void writeTo(OutputStream out) throws IOException;
    }

    public static LayerStore.Layer store(LayerStore layers, Path upper, String parentChainId) throws IOException {
        return store(layers, out -> LayerTar.writeDiff(upper, out), parentChainId);
    }

    /** Stores the layer {@code diff} writes on top of {@code parentChainId} (null for a base layer). */
    public static LayerStore.Layer store(LayerStore layers, Diff diff, String parentChainId) throws IOException {
        PipedInputStream in = new PipedInputStream(256 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (out) {
                diff.writeTo(out);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        LayerStore.Layer layer;
        try (in) {
            layer = layers.apply(in, parentChainId);
        } finally {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while storing a layer", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return layer;
    }
}
