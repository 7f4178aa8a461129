package dev.berth.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One reading of a container's resource usage, in Docker's units (nanoseconds, bytes), taken from its cgroup files and
 * the host's /proc; {@link CgroupStats} reads it. Fields a cgroup version does not have are 0 (or empty).
 *
 * @param cpuTotalNanos    CPU time the container used (cpuacct.usage, or cpu.stat usage_usec)
 * @param perCpuNanos      the same per CPU (cgroup v1 only)
 * @param systemCpuNanos   CPU time the whole host used, from /proc/stat, for Docker's CPU percentage
 * @param onlineCpus       CPUs the host has online
 * @param memoryStats      memory.stat, key for key
 * @param memoryLimit      the limit, or the host's memory when there is none
 * @param pidsLimit        0 when unlimited
 * @param ioServiceBytes   bytes read and written per device ("Read"/"Write" on v1, "read"/"write" on v2)
 * @param networks         per interface of the container's network namespace, loopback left out
 */
public record StatsSample(
        Instant read,
        long cpuTotalNanos,
        List<Long> perCpuNanos,
        long cpuKernelNanos,
        long cpuUserNanos,
        long systemCpuNanos,
        int onlineCpus,
        long throttlingPeriods,
        long throttledPeriods,
        long throttledTimeNanos,
        long memoryUsage,
        long memoryMaxUsage,
        long memoryFailcnt,
        long memoryLimit,
        Map<String, Long> memoryStats,
        long pidsCurrent,
        long pidsLimit,
        List<BlkioEntry> ioServiceBytes,
        Map<String, NetworkCounters> networks) {

    public StatsSample {
        perCpuNanos = List.copyOf(perCpuNanos);
        memoryStats = Map.copyOf(memoryStats);
        ioServiceBytes = List.copyOf(ioServiceBytes);
        networks = Map.copyOf(networks);
    }

    /** One line of blkio accounting. */
    public record BlkioEntry(long major, long minor, String op, long value) {}

    /** One interface's counters, as /proc/net/dev has them. */
    public record NetworkCounters(long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes, long txPackets,
            long txErrors, long txDropped) {}
}
