package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a container's resource usage the way Docker does (moby {@code daemon/stats*.go} over containerd's cgroups
 * package): from the cgroup files of the container's init process, found through {@code /proc/<pid>/cgroup}, for cgroup
 * v1 (one hierarchy per controller, as on hybrid hosts) and v2 (one unified hierarchy); the host's CPU time from
 * {@code /proc/stat}, its memory from {@code /proc/meminfo}; network counters from the container's own
 * {@code /proc/<pid>/net/dev}.
 */
public final class CgroupStats {
    /** USER_HZ: /proc/stat and cpuacct.stat count in these ticks on every Linux that Docker supports. */
    private static final long CLOCK_TICKS = 100;
    private static final long NANOS = 1_000_000_000L;

    private final Path proc;
    private final Path cgroupRoot;
    private final Clock clock;

    /** Reads the real {@code /proc} and {@code /sys/fs/cgroup}. */
    public CgroupStats() {
        this(Path.of("/proc"), Path.of("/sys/fs/cgroup"), Clock.systemUTC());
    }

    /** For tests: another {@code /proc} and cgroup mount, laid out like the real ones. */
    CgroupStats(Path proc, Path cgroupRoot, Clock clock) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
        this.clock = clock;
    }

    /** A reading for the container whose init process is {@code pid}. */
    public StatsSample read(long pid) throws IOException {
        Map<String, String> v1 = new LinkedHashMap<>();
        String v2 = null;
        for (String line : Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2 = f[2];
            } else {
                for (String controller : f[1].split(",")) {
                    v1.put(controller, f[2]);
                }
            }
        }
        long[] system = systemCpu();
        long hostMemory = hostMemory();
        Map<String, StatsSample.NetworkCounters> networks = networks(pid);
        boolean unified = Files.exists(cgroupRoot.resolve("cgroup.controllers"));
        if (!unified && v1.containsKey("memory")) {
            return readV1(v1, system, hostMemory, networks);
        }
        if (v2 == null) {
            throw new IOException("no cgroup found for process " + pid);
        }
        return readV2(cgroupRoot.resolve(relative(v2)), system, hostMemory, networks);
    }

    private StatsSample readV1(Map<String, String> paths, long[] system, long hostMemory,
            Map<String, StatsSample.NetworkCounters> networks) throws IOException {
        Path cpuacct = v1Dir(paths, "cpuacct");
        Path cpu = v1Dir(paths, "cpu");
        Path memory = v1Dir(paths, "memory");
        Path pids = v1Dir(paths, "pids");
        Path blkio = v1Dir(paths, "blkio");
        Map<String, Long> cpuacctStat = keyValues(cpuacct.resolve("cpuacct.stat"));
        Map<String, Long> cpuStat = keyValues(cpu.resolve("cpu.stat"));
        List<Long> perCpu = new ArrayList<>();
        for (String v : read(cpuacct.resolve("cpuacct.usage_percpu")).orElse("").trim().split("\\s+")) {
            if (!v.isEmpty()) {
                perCpu.add(Long.parseLong(v));
            }
        }
        long limit = number(memory.resolve("memory.limit_in_bytes"));
        List<StatsSample.BlkioEntry> io = blkioV1(blkio.resolve("blkio.io_service_bytes_recursive"));
        if (io.isEmpty()) {
            io = blkioV1(blkio.resolve("blkio.throttle.io_service_bytes_recursive"));
        }
        return new StatsSample(clock.instant(), number(cpuacct.resolve("cpuacct.usage")), perCpu,
                cpuacctStat.getOrDefault("system", 0L) * NANOS / CLOCK_TICKS,
                cpuacctStat.getOrDefault("user", 0L) * NANOS / CLOCK_TICKS, system[0], (int) system[1],
                cpuStat.getOrDefault("nr_periods", 0L), cpuStat.getOrDefault("nr_throttled", 0L),
                cpuStat.getOrDefault("throttled_time", 0L),
                number(memory.resolve("memory.usage_in_bytes")), number(memory.resolve("memory.max_usage_in_bytes")),
                number(memory.resolve("memory.failcnt")), hostMemory > 0 && limit > hostMemory ? hostMemory : limit,
                keyValues(memory.resolve("memory.stat")), number(pids.resolve("pids.current")),
                number(pids.resolve("pids.max")), io, networks);
    }

    private StatsSample readV2(Path dir, long[] system, long hostMemory, Map<String, StatsSample.NetworkCounters> networks)
            throws IOException {
        Map<String, Long> cpuStat = keyValues(dir.resolve("cpu.stat"));
        long limit = number(dir.resolve("memory.max"));
        if (limit == 0 || (hostMemory > 0 && limit > hostMemory)) {
            limit = hostMemory;
        }
        List<StatsSample.BlkioEntry> io = new ArrayList<>();
        for (String line : read(dir.resolve("io.stat")).orElse("").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) {
                continue;
            }
            String[] dev = f[0].split(":");
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=");
                if (kv.length == 2 && (kv[0].equals("rbytes") || kv[0].equals("wbytes"))) {
                    io.add(new StatsSample.BlkioEntry(Long.parseLong(dev[0]), Long.parseLong(dev[1]),
                            kv[0].equals("rbytes") ? "read" : "write", Long.parseLong(kv[1])));
                }
            }
        }
        return new StatsSample(clock.instant(), cpuStat.getOrDefault("usage_usec", 0L) * 1000, List.of(),
                cpuStat.getOrDefault("system_usec", 0L) * 1000, cpuStat.getOrDefault("user_usec", 0L) * 1000, system[0],
                (int) system[1], cpuStat.getOrDefault("nr_periods", 0L), cpuStat.getOrDefault("nr_throttled", 0L),
                cpuStat.getOrDefault("throttled_usec", 0L) * 1000, number(dir.resolve("memory.current")),
                number(dir.resolve("memory.peak")), 0, limit, keyValues(dir.resolve("memory.stat")),
                number(dir.resolve("pids.current")), number(dir.resolve("pids.max")), io, networks);
    }

    private Path v1Dir(Map<String, String> paths, String controller) {
        return cgroupRoot.resolve(controller).resolve(relative(paths.getOrDefault(controller, "/")));
    }

    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** Host CPU time in nanoseconds (user to softirq, as moby sums it) and the number of CPUs. */
    private long[] systemCpu() throws IOException {
        long total = 0;
        int cpus = 0;
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu") && f.length >= 8) {
                for (int i = 1; i < 8; i++) {
                    total += Long.parseLong(f[i]);
                }
            } else if (f[0].startsWith("cpu")) {
                cpus++;
            }
        }
        return new long[] {total * NANOS / CLOCK_TICKS, cpus};
    }

    private long hostMemory() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    private Map<String, StatsSample.NetworkCounters> networks(long pid) throws IOException {
        Map<String, StatsSample.NetworkCounters> out = new LinkedHashMap<>();
        Optional<String> dev = read(proc.resolve(Long.toString(pid)).resolve("net").resolve("dev"));
        for (String line : dev.orElse("").split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || f.length < 12) {
                continue;
            }
            out.put(name, new StatsSample.NetworkCounters(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]),
                    Long.parseLong(f[11])));
        }
        return out;
    }

    /** "8:0 Read 4096" lines; the "Total" line is left out. */
    private static List<StatsSample.BlkioEntry> blkioV1(Path file) throws IOException {
        List<StatsSample.BlkioEntry> out = new ArrayList<>();
        for (String line : read(file).orElse("").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                String[] dev = f[0].split(":");
                out.add(new StatsSample.BlkioEntry(Long.parseLong(dev[0]), Long.parseLong(dev[1]), f[1],
                        Long.parseLong(f[2])));
            }
        }
        return out;
    }

    /** "key value" lines. */
    private static Map<String, Long> keyValues(Path file) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : read(file).orElse("").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    out.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException e) {
                    // not a counter
                }
            }
        }
        return out;
    }

    /** A file holding one number; "max" and a missing file read as 0 (no limit, or not accounted). */
    private static long number(Path file) throws IOException {
        String text = read(file).orElse("").trim();
        if (text.isEmpty() || text.equals("max")) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
