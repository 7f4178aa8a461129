package dev.berth.store;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;

/**
 * A write that found its file system full (ENOSPC), worded as Go's {@code os.PathError} is, since Docker's messages
 * quote that: {@code write /var/lib/berth/layers/.../diff/big: no space left on device}. The JDK reports ENOSPC as an
 * {@link IOException} whose message is the C library's text, often without the file; this names the file.
 */
public final class NoSpaceException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final String STRERROR = "No space left on device";

    public NoSpaceException(Path path, Throwable cause) {
        super("write " + path + ": no space left on device", cause);
    }

    /** Whether {@code e} or one of its causes is ENOSPC. */
    public static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSpaceException || t.getMessage() != null && t.getMessage().contains(STRERROR)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code e} as a {@code NoSpaceException} naming {@code path} when it is ENOSPC; {@code e} itself when it is some
     * other failure or already names its file.
     */
    public static IOException named(IOException e, Path path) {
        if (e instanceof NoSpaceException || !isNoSpace(e)) {
            return e;
        }
        NoSpaceException inner = find(e);
        return inner != null ? inner : new NoSpaceException(path, e);
    }

    private static NoSpaceException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSpaceException n) {
                return n;
            }
        }
        return null;
    }
}
