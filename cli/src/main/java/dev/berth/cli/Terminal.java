package dev.berth.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The controlling terminal, driven through {@code /bin/stty} on {@code /dev/tty}: Java has no termios API, and stty is
 * on every system berth runs on. Raw mode must be undone on every exit path, so {@link #makeRaw()} returns the handle
 * that restores the saved state.
 */
public final class Terminal {
    private Terminal() {
    }

    /** True when the file descriptor of this process is a terminal device (checked via /proc, no native call). */
    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Rows and columns of the terminal, or null when there is none. */
    public static int[] size() {
        try {
            String out = stty("size").strip();
            String[] parts = out.split("\\s+");
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** Switches the terminal to raw mode without echo; closing the result restores the previous settings. */
    public static Restore makeRaw() throws IOException {
        String saved = stty("-g").strip();
        stty("raw", "-echo");
        return new Restore(saved);
    }

    /** Restores the terminal settings saved by {@link #makeRaw()}. */
    public record Restore(String saved) implements AutoCloseable {
        @Override
        public void close() {
            try {
                stty(saved);
            } catch (IOException e) {
                // The terminal is gone (closed window): nothing is left to restore.
                return;
            }
        }
    }

    private static String stty(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "/bin/stty";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectInput(new File("/dev/tty"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stty", e);
        }
        return out;
    }
}
