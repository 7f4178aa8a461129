package dev.berth.cli.container;

import java.io.ByteArrayOutputStream;

/**
 * The detach sequence (docker's default ctrl-p,ctrl-q). The daemon acts on it; the client watches its own stdin for it
 * only to know that the attach ended by detaching, so it exits 0 instead of waiting for the container to stop.
 */
final class DetachKeys {
    private final byte[] sequence;
    private int matched;

    DetachKeys(byte[] sequence) {
        this.sequence = sequence;
    }

    static DetachKeys parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            return new DetachKeys(new byte[] {16, 17});
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : spec.split(",")) {
            if (key.length() == 1) {
                out.write(key.charAt(0));
            } else if (key.startsWith("ctrl-") && key.length() == 6) {
                char c = Character.toLowerCase(key.charAt(5));
                if (c >= 'a' && c <= 'z') {
                    out.write(c - 'a' + 1);
                } else if (c == '@') {
                    out.write(0);
                } else if (c >= '[' && c <= '_') {
                    out.write(c - '[' + 27);
                } else {
                    throw new IllegalArgumentException("Unknown character: '" + key + "'");
                }
            } else {
                throw new IllegalArgumentException("Unknown character: '" + key + "'");
            }
        }
        return new DetachKeys(out.toByteArray());
    }

    /** Feeds stdin bytes; true once the whole sequence has been typed in a row. */
    boolean feed(byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (data[i] == sequence[matched]) {
                matched++;
                if (matched == sequence.length) {
                    matched = 0;
                    return true;
                }
            } else {
                matched = data[i] == sequence[0] ? 1 : 0;
            }
        }
        return false;
    }
}
