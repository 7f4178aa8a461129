package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.Attach.Chunk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real containers with conmon and runc on a busybox root filesystem. Tagged "root": creating namespaces, cgroups and mounts
 * needs root, and the test needs conmon, runc and busybox installed (setup.sh installs them).
 */
@Tag("root")
class ContainerRuntimeRootTest {
    private static final String CGROUP_PARENT = "berth-runtime-test";
    private static Path work;
    private static Path rootfs;
    private static ContainerRuntime runtime;
    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void makeRootfs() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "brt");
        rootfs = work.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        Process list = new ProcessBuilder("/bin/busybox", "--list").start();
        for (String applet : new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet.strip()), Path.of("busybox"));
            }
        }
        assertThat(list.waitFor()).isZero();
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        runtime = new ContainerRuntime(work.resolve("exec"));
    }

    @AfterEach
    void removeContainers() throws IOException {
        for (String id : created) {
            runtime.delete(id, true);
        }
    }

    @AfterAll
    static void removeCgroupsAndFiles() throws IOException {
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                Files.deleteIfExists(controller.resolve(CGROUP_PARENT));
            }
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private String newId() {
        String id = "brt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        created.add(id);
        return id;
    }

    private Path bundle(ContainerSpec spec) throws IOException {
        Path bundle = work.resolve("bundles").resolve(spec.id());
        OciSpec.write(spec, bundle);
        return bundle;
    }

    private ContainerSpec spec(String id, String... args) {
        return ContainerSpec.of(id, rootfs, List.of(args)).withProcess("/", "box", "/" + CGROUP_PARENT + "/" + id);
    }

    private Path logPath(String id) {
        return work.resolve("logs").resolve(id + ".log");
    }

    private static String drain(Attach attach, LogStream stream) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Optional<Chunk> chunk;
        while ((chunk = attach.read()).isPresent()) {
            if (chunk.get().stream() == stream) {
                out.writeBytes(chunk.get().data());
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void echo_outputReachesAttachAndLogAndExitsZero() throws Exception {
        String id = newId();
        ContainerSpec spec = spec(id, "sh", "-c", "echo hello; echo oops >&2");
        long pid = runtime.create(id, bundle(spec), new CreateOptions(false, false, false, logPath(id), "runc"));
        assertThat(pid).isPositive();
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("created"));

        try (Attach attach = runtime.attach(id)) {
            runtime.start(id);
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Optional<Chunk> chunk;
            while ((chunk = attach.read()).isPresent()) {
                (chunk.get().stream() == LogStream.STDOUT ? stdout : stderr).writeBytes(chunk.get().data());
            }
            assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
            assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");
        }

        Optional<ExitStatus> exit = runtime.awaitExit(id, Duration.ofSeconds(10));
        assertThat(exit).hasValueSatisfying(e -> assertThat(e.exitCode()).isZero());
        List<LogEntry> log = new ArrayList<>();
        LogReader.read(logPath(id), LogQuery.ALL, entry -> {
            log.add(entry);
            return true;
        });
        assertThat(log).extracting(e -> e.stream() + ":" + new String(e.content(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("STDOUT:hello\n", "STDERR:oops\n");
    }

    @Test
    void exitCode_isRecordedByConmon() throws Exception {
        String id = newId();
        runtime.create(id, bundle(spec(id, "sh", "-c", "exit 3")), new CreateOptions(false, false, false, logPath(id), "runc"));
        runtime.start(id);

        assertThat(runtime.awaitExit(id, Duration.ofSeconds(10))).hasValueSatisfying(e -> {
            assertThat(e.exitCode()).isEqualTo(3);
            assertThat(e.finishedAt()).isBefore(Instant.now().plusSeconds(1));
        });
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("stopped"));
    }

    @Test
    void missingCommand_failsAsNotFoundAndLeavesNothingRunning() throws Exception {
        String id = newId();
        Path bundle = bundle(spec(id, "nosuchcmd"));
        CreateOptions options = new CreateOptions(false, false, false, logPath(id), "runc");

        assertThatThrownBy(() -> {
            runtime.create(id, bundle, options);
            runtime.start(id); // runtimes that check the executable only at start fail here instead
        })
                .isInstanceOfSatisfying(OciRuntimeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OciRuntimeException.Kind.NOT_FOUND);
                    assertThat(e.kind().exitCode()).isEqualTo(127);
                })
                .hasMessageContaining("exec: \"nosuchcmd\": executable file not found in $PATH");
        assertThat(runtime.state(id)).isEmpty();
        assertThat(runtime.conmonAlive(id)).isFalse();
    }

    @Test
    void terminal_carriesInputAndOutputAndResizes() throws Exception {
        String id = newId();
        ContainerSpec spec = spec(id, "sh").withTerminal(true, true);
        runtime.create(id, bundle(spec), new CreateOptions(true, true, true, logPath(id), "runc"));
        try (Attach attach = runtime.attach(id)) {
            runtime.start(id);
            runtime.resize(id, 40, 100);
            attach.stdin().write("stty size; echo hi; exit 3\n".getBytes(StandardCharsets.US_ASCII));
            String output = drain(attach, LogStream.STDOUT);
            assertThat(output).contains("40 100").contains("hi\r\n");
        }
        assertThat(runtime.awaitExit(id, Duration.ofSeconds(10))).hasValueSatisfying(e -> assertThat(e.exitCode()).isEqualTo(3));
    }

    @Test
    void stdin_withoutTerminalIsClosedWhenTheAttachClosesIt() throws Exception {
        String id = newId();
        ContainerSpec spec = spec(id, "cat").withTerminal(false, true);
        runtime.create(id, bundle(spec), new CreateOptions(false, true, true, logPath(id), "runc"));
        try (Attach attach = runtime.attach(id)) {
            runtime.start(id);
            attach.stdin().write("line one\n".getBytes(StandardCharsets.US_ASCII));
            attach.stdin().close();
            assertThat(drain(attach, LogStream.STDOUT)).isEqualTo("line one\n");
        }
        assertThat(runtime.awaitExit(id, Duration.ofSeconds(10))).hasValueSatisfying(e -> assertThat(e.exitCode()).isZero());
    }

    @Test
    void kill_deliversTheSignalAndConmonIsNotOurChild() throws Exception {
        String id = newId();
        ContainerSpec spec = spec(id, "sh", "-c", "trap 'exit 42' TERM; echo ready; while true; do sleep 0.1; done");
        runtime.create(id, bundle(spec), new CreateOptions(false, false, false, logPath(id), "runc"));
        try (Attach attach = runtime.attach(id)) {
            runtime.start(id);
            assertThat(attach.read()).hasValueSatisfying(c -> assertThat(new String(c.data(), StandardCharsets.UTF_8)).isEqualTo("ready\n"));
        }
        assertThat(runtime.state(id)).hasValueSatisfying(s -> assertThat(s.status()).isEqualTo("running"));
        long conmon = runtime.conmonPid(id).orElseThrow();
        assertThat(runtime.conmonAlive(id)).isTrue();
        // conmon daemonized: its parent is init or a subreaper, never this JVM, so it survives the JVM's exit
        assertThat(ProcessHandle.of(conmon).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                .isNotEqualTo(Optional.of(ProcessHandle.current().pid()));
        assertThat(ProcessHandle.current().children().map(ProcessHandle::pid)).doesNotContain(conmon);

        runtime.kill(id, 15);

        assertThat(runtime.awaitExit(id, Duration.ofSeconds(10))).hasValueSatisfying(e -> assertThat(e.exitCode()).isEqualTo(42));
    }

    @Test
    void crun_runsWhereTheHostAllowsAndIsRefusedClearlyElsewhere() throws Exception {
        String id = newId();
        Path bundle = bundle(spec(id, "echo", "from crun"));
        CreateOptions options = new CreateOptions(false, false, false, logPath(id), "crun");
        Optional<String> problem = CgroupLayout.crunProblem(Path.of("/sys/fs/cgroup"));
        if (problem.isPresent()) {
            assertThatThrownBy(() -> runtime.create(id, bundle, options))
                    .isInstanceOf(IOException.class)
                    .hasMessage("runtime crun cannot run containers on this host: " + problem.get());
            return;
        }
        runtime.create(id, bundle, options);
        try (Attach attach = runtime.attach(id)) {
            runtime.start(id);
            assertThat(drain(attach, LogStream.STDOUT)).isEqualTo("from crun\n");
        }
        assertThat(runtime.awaitExit(id, Duration.ofSeconds(10))).hasValueSatisfying(e -> assertThat(e.exitCode()).isZero());
    }

    @Test
    void unknownRuntime_isRejected() {
        String id = newId();
        assertThatThrownBy(() -> runtime.create(id, bundle(spec(id, "true")), new CreateOptions(false, false, false, logPath(id), "kata")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown or invalid runtime name: kata");
    }
}
