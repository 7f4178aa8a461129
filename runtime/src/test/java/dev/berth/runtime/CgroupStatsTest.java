package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readings from a fake /proc and cgroup mount laid out as on real v1 (hybrid) and v2 hosts. */
class CgroupStatsTest {
    @TempDir
    Path root;

    private Path proc() throws Exception {
        Path proc = root.resolve("proc");
        Files.createDirectories(proc.resolve("42/net"));
        Files.writeString(proc.resolve("stat"), "cpu  100 0 50 800 10 0 40 0 0 0\ncpu0 50 0 25 400 5 0 20 0 0 0\n"
                + "cpu1 50 0 25 400 5 0 20 0 0 0\nintr 1\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       1000 kB\nMemFree: 10 kB\n");
        Files.writeString(proc.resolve("42/net/dev"), "Inter-|   Receive\n face |bytes packets\n"
                + "    lo: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0\n"
                + "  eth0: 1000 10 1 2 0 0 0 0 2000 20 3 4 0 0 0 0\n");
        return proc;
    }

    private static void write(Path dir, String file, String content) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content);
    }

    @Test
    void v1_readsEachControllersFiles_andCapsTheLimitAtTheHostsMemory() throws Exception {
        Path proc = proc();
        Files.writeString(proc.resolve("42/cgroup"), "8:pids:/berth/c\n4:memory:/berth/c\n2:cpu,cpuacct:/berth/c\n"
                + "7:blkio:/berth/c\n0::/berth/c\n");
        Path cg = root.resolve("cgroup");
        write(cg.resolve("cpuacct/berth/c"), "cpuacct.usage", "5000\n");
        write(cg.resolve("cpuacct/berth/c"), "cpuacct.usage_percpu", "2000 3000 \n");
        write(cg.resolve("cpuacct/berth/c"), "cpuacct.stat", "user 3\nsystem 2\n");
        write(cg.resolve("cpu/berth/c"), "cpu.stat", "nr_periods 4\nnr_throttled 1\nthrottled_time 99\n");
        write(cg.resolve("memory/berth/c"), "memory.usage_in_bytes", "4096\n");
        write(cg.resolve("memory/berth/c"), "memory.max_usage_in_bytes", "8192\n");
        write(cg.resolve("memory/berth/c"), "memory.failcnt", "0\n");
        write(cg.resolve("memory/berth/c"), "memory.limit_in_bytes", "9223372036854771712\n");
        write(cg.resolve("memory/berth/c"), "memory.stat", "cache 0\ntotal_inactive_file 1024\n");
        write(cg.resolve("pids/berth/c"), "pids.current", "3\n");
        write(cg.resolve("pids/berth/c"), "pids.max", "max\n");
        write(cg.resolve("blkio/berth/c"), "blkio.throttle.io_service_bytes_recursive",
                "8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\nTotal 4608\n");
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

        StatsSample s = new CgroupStats(proc, cg, clock).read(42);

        assertThat(s.cpuTotalNanos()).isEqualTo(5000);
        assertThat(s.perCpuNanos()).containsExactly(2000L, 3000L);
        assertThat(s.cpuUserNanos()).isEqualTo(30_000_000L);
        assertThat(s.cpuKernelNanos()).isEqualTo(20_000_000L);
        assertThat(s.systemCpuNanos()).isEqualTo(1000L * 10_000_000L); // (100+0+50+800+10+0+40) ticks of 10 ms
        assertThat(s.onlineCpus()).isEqualTo(2);
        assertThat(s.throttledTimeNanos()).isEqualTo(99);
        assertThat(s.memoryUsage()).isEqualTo(4096);
        assertThat(s.memoryMaxUsage()).isEqualTo(8192);
        assertThat(s.memoryLimit()).isEqualTo(1000 * 1024);
        assertThat(s.memoryStats()).containsEntry("total_inactive_file", 1024L);
        assertThat(s.pidsCurrent()).isEqualTo(3);
        assertThat(s.pidsLimit()).isZero();
        assertThat(s.ioServiceBytes()).containsExactly(new StatsSample.BlkioEntry(8, 0, "Read", 4096),
                new StatsSample.BlkioEntry(8, 0, "Write", 512), new StatsSample.BlkioEntry(8, 0, "Total", 4608));
        assertThat(s.networks()).containsOnlyKeys("eth0");
        assertThat(s.networks().get("eth0")).isEqualTo(new StatsSample.NetworkCounters(1000, 10, 1, 2, 2000, 20, 3, 4));
        assertThat(s.read()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void v2_readsTheUnifiedFiles() throws Exception {
        Path proc = proc();
        Files.writeString(proc.resolve("42/cgroup"), "0::/berth/c\n");
        Path cg = root.resolve("cgroup2");
        write(cg, "cgroup.controllers", "cpu memory pids io\n");
        Path dir = cg.resolve("berth/c");
        write(dir, "cpu.stat", "usage_usec 7\nuser_usec 4\nsystem_usec 3\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
        write(dir, "memory.current", "2048\n");
        write(dir, "memory.max", "1024000\n");
        write(dir, "memory.stat", "anon 100\ninactive_file 512\n");
        write(dir, "pids.current", "2\n");
        write(dir, "pids.max", "50\n");
        write(dir, "io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n");

        StatsSample s = new CgroupStats(proc, cg, Clock.systemUTC()).read(42);

        assertThat(s.cpuTotalNanos()).isEqualTo(7000);
        assertThat(s.cpuUserNanos()).isEqualTo(4000);
        assertThat(s.perCpuNanos()).isEmpty();
        assertThat(s.memoryUsage()).isEqualTo(2048);
        assertThat(s.memoryLimit()).isEqualTo(1000 * 1024);
        assertThat(s.memoryStats()).containsEntry("inactive_file", 512L);
        assertThat(s.pidsLimit()).isEqualTo(50);
        assertThat(s.ioServiceBytes()).containsExactly(new StatsSample.BlkioEntry(8, 0, "read", 100),
                new StatsSample.BlkioEntry(8, 0, "write", 200));
    }
}
