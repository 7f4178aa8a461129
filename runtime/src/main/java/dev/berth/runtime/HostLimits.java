package dev.berth.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's own hard resource limits, read from {@code /proc/self/limits}. A container may not ask for more than these:
 * the OCI runtime runs with the daemon's limits and {@code setrlimit} above the hard limit fails (runc then refuses to start
 * the container), so {@link OciSpec} clamps every rlimit to them.
 *
 * @param hard hard limit per Docker ulimit name ({@code nofile}, {@code nproc}...); -1 is unlimited
 */
public record HostLimits(Map<String, Long> hard) {
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("Max cpu time", "cpu"), Map.entry("Max file size", "fsize"), Map.entry("Max data size", "data"),
            Map.entry("Max stack size", "stack"), Map.entry("Max core file size", "core"), Map.entry("Max resident set", "rss"),
            Map.entry("Max processes", "nproc"), Map.entry("Max open files", "nofile"), Map.entry("Max locked memory", "memlock"),
            Map.entry("Max address space", "as"), Map.entry("Max file locks", "locks"), Map.entry("Max pending signals", "sigpending"),
            Map.entry("Max msgqueue size", "msgqueue"), Map.entry("Max nice priority", "nice"),
            Map.entry("Max realtime priority", "rtprio"), Map.entry("Max realtime timeout", "rttime"));

    public HostLimits {
        hard = Map.copyOf(hard);
    }

    /** The limits of this process. */
    public static HostLimits current() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/limits")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/limits: " + e.getMessage(), e);
        }
    }

    /** Parses the table of {@code /proc/<pid>/limits}: a label, then soft, hard and (mostly) units in fixed columns. */
    static HostLimits parse(List<String> lines) {
        Map<String, Long> result = new HashMap<>();
        for (String line : lines) {
            for (Map.Entry<String, String> label : LABELS.entrySet()) {
                if (line.startsWith(label.getKey() + " ")) {
                    String[] values = line.substring(label.getKey().length()).trim().split("\\s+");
                    if (values.length >= 2) {
                        result.put(label.getValue(), values[1].equals("unlimited") ? -1L : Long.parseUnsignedLong(values[1]));
                    }
                }
            }
        }
        return new HostLimits(result);
    }

    /** The hard limit for a Docker ulimit name, if the kernel reported one. */
    public Optional<Long> hardLimit(String name) {
        return Optional.ofNullable(hard.get(name));
    }
}
