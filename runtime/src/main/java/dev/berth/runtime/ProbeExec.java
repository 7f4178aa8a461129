package dev.berth.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a short command inside a running container and collects its exit code and output, as health checks need:
 * {@code <runtime> exec} with the container's own process settings (user, environment, working directory,
 * capabilities) and only the arguments replaced, no terminal, no stdin, stdout and stderr together.
 *
 * <p>On timeout the command is killed inside the container (through the pid the runtime writes), not just the
 * runtime's process, so a hanging probe leaves nothing behind.
 */
public final class ProbeExec {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * @param exitCode the command's exit code (the runtime's own when it could not run the command at all)
     * @param output the first {@code maxOutput} bytes of stdout and stderr, interleaved as written
     */
    public record Result(int exitCode, String output, boolean timedOut) {}

    private ProbeExec() {}

    public static Result run(ContainerRuntime runtime, String id, List<String> argv, Duration timeout, int maxOutput)
            throws IOException, InterruptedException {
        Path pidFile = runtime.containerDir(id).resolve("probe-" + SEQUENCE.incrementAndGet() + ".pid");
        List<String> args = new ArrayList<>(List.of("exec", "--pid-file", pidFile.toString(), id));
        args.addAll(argv);
        Process process = new ProcessBuilder(runtime.runtimeCommand(id, args))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> readBounded(process.getInputStream(), output, maxOutput));
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                killInside(pidFile);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "", true);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8), false);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(pidFile);
        }
    }

    private static void killInside(Path pidFile) throws IOException {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (NoSuchFileException | NumberFormatException e) {
            // the runtime had not started the command yet: destroying the runtime's process is enough
        }
    }

    /** Keeps the first {@code max} bytes and drains the rest, so a chatty command never blocks on a full pipe. */
    private static void readBounded(InputStream in, ByteArrayOutputStream out, int max) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                int keep = Math.min(n, max - out.size());
                if (keep > 0) {
                    synchronized (out) {
                        out.write(buffer, 0, keep);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read is the output
        }
    }
}
