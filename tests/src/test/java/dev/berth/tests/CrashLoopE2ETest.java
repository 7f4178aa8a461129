package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daemon killed with SIGKILL at random moments while containers start, stop and restart (by hand and by their
 * restart policies), a bounded number of times. After each restart: no container lost, states consistent with the
 * processes, restart policies running again; at the end no mount, conmon or runtime container left. Needs root.
 */
class CrashLoopE2ETest extends BusyboxDaemonTest {
    private static final int ITERATIONS = 8;

    private static Cli.Result berth(String... args) {
        return Cli.berth(daemon, args);
    }

    @Test
    void killingTheDaemonAtRandomPoints_losesNothing_andLeaksNothing() throws Exception {
        Random random = new Random(42);
        Set<String> created = ConcurrentHashMap.newKeySet();
        berth("run", "-d", "--name", "flap", "--restart", "always", "busybox", "sh", "-c", "sleep 0.5; exit 1").assertOk();
        berth("run", "-d", "--name", "steady", "--restart", "unless-stopped", "busybox", "sleep", "600").assertOk();
        berth("run", "-d", "--name", "plain", "busybox", "sleep", "600").assertOk();
        created.addAll(List.of("flap", "steady", "plain"));

        for (int i = 0; i < ITERATIONS; i++) {
            AtomicBoolean crashed = new AtomicBoolean();
            int round = i;
            Thread load = Thread.ofVirtual().start(() -> {
                for (int op = 0; !crashed.get(); op++) {
                    String name = "t" + round + "-" + op;
                    Cli.Result r = switch (op % 3) {
                        case 0 -> berth("run", "-d", "--name", name, "busybox", "sh", "-c", "sleep 0.3");
                        case 1 -> berth("stop", "-t", "0", "steady");
                        default -> berth("start", "steady");
                    };
                    if (op % 3 == 0 && r.exitCode() == 0) {
                        created.add(name);
                    }
                }
            });
            Thread.sleep(300 + random.nextInt(2500));
            crashed.set(true);
            daemon.kill9();
            load.join();
            daemon.start();

            Map<String, String[]> states = states();
            assertThat(states.keySet()).as("round %d: no container lost", round).containsAll(created);
            for (var e : states.entrySet()) {
                String status = e.getValue()[0];
                long pid = Long.parseLong(e.getValue()[1]);
                if (status.equals("running")) {
                    assertThat(aliveOrNoticed(e.getKey(), pid)).as("round %d: %s runs as pid %d", round, e.getKey(), pid)
                            .isTrue();
                } else {
                    assertThat(pid).as("round %d: %s is %s", round, e.getKey(), status).isZero();
                }
            }
            assertThat(orphanConmons(Set.copyOf(ids(states)))).as("round %d: conmon of unknown containers", round).isEmpty();
            assertPolicyResumes("flap", round);
        }

        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        rm.addAll(berth("ps", "-aq").stdout().lines().toList());
        berth(rm.toArray(String[]::new)).assertOk();
        assertThat(mountsUnder(daemon.dataRoot)).as("mounts left").isEmpty();
        assertThat(orphanConmons(Set.of())).as("conmon left").isEmpty();
        Path runcRoot = daemon.execRoot.resolve("runtime-runc");
        if (Files.isDirectory(runcRoot)) {
            assertThat(Cli.run(new ProcessBuilder("runc", "--root", runcRoot.toString(), "list", "-q"), null).out())
                    .as("runtime containers left").isEmpty();
        }
    }

    /**
     * A container said to be running has its process, or (short-lived containers exit at any moment) the daemon
     * notices within seconds that it ended: it is no longer running as that pid.
     */
    private static boolean aliveOrNoticed(String name, long pid) throws InterruptedException {
        for (int i = 0; i < 40; i++) {
            if (Files.exists(Path.of("/proc", Long.toString(pid)))) {
                return true;
            }
            String now = berth("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", name).out();
            if (!now.equals("running " + pid)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** name → [status, pid, id], in one inspect of every container. */
    private static Map<String, String[]> states() {
        List<String> args = new ArrayList<>(List.of("inspect", "--format", "{{.Name}} {{.State.Status}} {{.State.Pid}} {{.Id}}"));
        List<String> ids = berth("ps", "-aq").assertOk().stdout().lines().filter(l -> !l.isBlank()).toList();
        Map<String, String[]> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        args.addAll(ids);
        for (String line : berth(args.toArray(String[]::new)).stdout().lines().toList()) {
            String[] f = line.strip().split(" ");
            if (f.length == 4) {
                out.put(f[0].substring(1), new String[] {f[1], f[2], f[3]});
            }
        }
        return out;
    }

    private static List<String> ids(Map<String, String[]> states) {
        return states.values().stream().map(s -> s[2]).toList();
    }

    /** The restart policy works again: the flapping container is restarted after the daemon came back. */
    private static void assertPolicyResumes(String name, int round) throws InterruptedException {
        int before = Integer.parseInt(berth("inspect", "--format", "{{.RestartCount}}", name).assertOk().out());
        int now = before;
        for (int i = 0; i < 120 && now <= before; i++) {
            Thread.sleep(250);
            now = Integer.parseInt(berth("inspect", "--format", "{{.RestartCount}}", name).assertOk().out());
        }
        assertThat(now).as("round %d: %s restarted after the daemon came back", round, name).isGreaterThan(before);
    }

    /** conmon processes of this daemon's exec root whose container is not in {@code known}. */
    private static List<String> orphanConmons(Set<String> known) throws IOException {
        List<String> orphans = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline;
                try {
                    cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (cmdline.contains("conmon") && cmdline.contains(daemon.execRoot.toString() + "/")) {
                    String id = cmdline.replaceAll(".*--cid ([0-9a-f]+).*", "$1").strip();
                    if (!known.contains(id)) {
                        orphans.add(id);
                    }
                }
            }
        }
        return orphans;
    }

    private static List<String> mountsUnder(Path root) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                .filter(m -> m.startsWith(root.toString())).toList();
    }
}
