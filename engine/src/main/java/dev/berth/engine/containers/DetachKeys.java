package dev.berth.engine.containers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a client's terminal input to a container, watching for the detach sequence (Ctrl-p Ctrl-q by default). Bytes
 * that start the sequence are held back until it is clear whether the sequence follows; if it does not, they are passed
 * on, so typing Ctrl-p alone still reaches the container.
 */
final class DetachKeys {
    private DetachKeys() {}

    /** Copies until end of input (returns false) or until the detach sequence is typed (returns true). */
    static boolean copy(InputStream from, OutputStream to, byte[] keys) throws IOException {
        byte[] buffer = new byte[8192];
        byte[] out = new byte[buffer.length + keys.length];
        int matched = 0;
        int n;
        while ((n = from.read(buffer)) >= 0) {
            int len = 0;
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == keys[matched]) {
                    if (++matched == keys.length) {
                        to.write(out, 0, len);
                        return true;
                    }
                    continue;
                }
                System.arraycopy(keys, 0, out, len, matched); // a false start: pass the held bytes on
                len += matched;
                matched = 0;
                if (b == keys[0]) {
                    matched = 1;
                } else {
                    out[len++] = b;
                }
            }
            to.write(out, 0, len);
            to.flush();
        }
        to.write(keys, 0, matched); // input ended inside a false start
        return false;
    }
}
