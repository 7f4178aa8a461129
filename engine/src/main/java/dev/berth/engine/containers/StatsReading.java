package dev.berth.engine.containers;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One reading of a container's resource usage, in Docker's units (nanoseconds, bytes): what {@code docker stats}
 * computes its columns from. See the runtime's cgroup reader for where each value comes from.
 *
 * @param systemCpuNanos the whole host's CPU time, the denominator of Docker's CPU percentage
 * @param memoryLimit    the cgroup limit, or the host's memory when there is none
 * @param pidsLimit      0 when unlimited
 * @param networks       per interface, loopback left out; empty without a network
 */
public record StatsReading(Instant read, long cpuTotalNanos, List<Long> perCpuNanos, long cpuKernelNanos,
        long cpuUserNanos, long systemCpuNanos, int onlineCpus, long throttlingPeriods, long throttledPeriods,
        long throttledTimeNanos, long memoryUsage, long memoryMaxUsage, long memoryFailcnt, long memoryLimit,
        Map<String, Long> memoryStats, long pidsCurrent, long pidsLimit, List<Blkio> ioServiceBytes,
        Map<String, Network> networks) {

    /** One blkio line: bytes of one operation ("Read", "write"...) on one device. */
    public record Blkio(long major, long minor, String op, long value) {}

    /** One interface's counters. */
    public record Network(long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes, long txPackets,
            long txErrors, long txDropped) {}
}
