package dev.berth.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Facts about the host and the daemon that {@code info} and {@code version} report; read once at start-up. */
public record SystemFacts(String daemonId, String hostname, String kernelVersion, String operatingSystem,
        String osVersion, String arch, String machine, long memTotal, String cgroupVersion, boolean swapLimit,
        String backingFilesystem, String dataRoot, String defaultRuntime, String runcVersion, String conmonVersion,
        String logDriver) {

    /** Container and image counts for {@code info}. */
    public record Counts(int containers, int running, int paused, int stopped, int images) {}

    public static SystemFacts probe(DaemonConfig config, String daemonId) {
        String machine = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cgroupVersion = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
        return new SystemFacts(daemonId, firstLine("/proc/sys/kernel/hostname", "localhost"),
                firstLine("/proc/sys/kernel/osrelease", System.getProperty("os.version")), osRelease("PRETTY_NAME"),
                osRelease("VERSION_ID"), arch, machine, readMemTotal(), cgroupVersion,
                cgroupVersion.equals("2") || Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")),
                "extfs", config.dataRoot().toString(), config.defaultRuntime(),
                versionOf(List.of("runc", "--version")), versionOf(List.of("conmon", "--version")),
                config.logDriver());
    }

    private static String firstLine(String file, String dflt) {
        try {
            return Files.readAllLines(Path.of(file)).getFirst().trim();
        } catch (IOException | RuntimeException e) {
            return dflt;
        }
    }

    private static String osRelease(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through: unknown
        }
        return "";
    }

    private static long readMemTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: unknown
        }
        return 0;
    }

    /** The version word of "runc version 1.1.5+ds1" / "conmon version 2.1.6". */
    private static String versionOf(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
            p.waitFor();
            String[] words = first.trim().split("\\s+");
            return words.length >= 3 ? words[2] : first;
        } catch (IOException e) {
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
