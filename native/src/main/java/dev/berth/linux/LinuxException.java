package dev.berth.linux;

import java.io.IOException;

/** A failed system call: which call, on what, and the errno the kernel returned. */
public final class LinuxException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    private LinuxException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** For example {@code of("mount", "/var/lib/berth/x/merged", 2)} → "mount /var/lib/berth/x/merged: No such file or directory". */
    public static LinuxException of(String call, String object, int errno) {
        String where = object == null || object.isEmpty() ? call : call + " " + object;
        return new LinuxException(where + ": " + Libc.strerror(errno), errno);
    }

    public int errno() {
        return errno;
    }
}
