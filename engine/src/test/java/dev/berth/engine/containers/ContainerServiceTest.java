package dev.berth.engine.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.images.ImageDefaults;
import dev.berth.engine.images.ResolvedImage;
import dev.berth.store.meta.MetadataStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container state machine over a fake lifecycle (no runc, no mounts). */
class ContainerServiceTest {
    @TempDir
    Path root;
    MetadataStore db;
    FakeLifecycle lifecycle;
    ContainerService service;

    static final ImageDefaults BUSYBOX = new ImageDefaults("", List.of("PATH=/bin"), List.of("sh"), null, "",
            Map.of("img", "1"), List.of(), List.of(), null);

    @BeforeEach
    void setUp() throws Exception {
        db = MetadataStore.open(root.resolve("berth.db"));
        lifecycle = new FakeLifecycle();
        service = newService();
    }

    private ContainerService newService() throws Exception {
        DaemonConfig config = DaemonConfig.defaults().withDataRoot(root).withExecRoot(root.resolve("run"));
        return new ContainerService(config, new ContainerRegistry(db), ref -> {
            if (!ref.equals("busybox")) {
                throw new EngineException.NotFound("No such image: " + ref + ":latest");
            }
            return new ResolvedImage("sha256:" + "a".repeat(64), List.of("sha256:l1"), BUSYBOX);
        }, lifecycle, new Names(new Random(1)), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    static ContainerSettings request(String... cmd) {
        return new ContainerSettings(null, null, null, false, true, true, false, false, false, List.of("A=1"),
                cmd.length == 0 ? null : List.of(cmd), null, null, null, null, null, null, null, null, false, 0, 0,
                null, 0, null, null, 0, null, null, false, false, null, null, null, null, null, null, null, null, null,
                null);
    }

    @Test
    void create_mergesImageDefaults_andGeneratesNameAndHostname() {
        Container c = service.create(new ContainerService.CreateRequest(null, "busybox", request()));
        assertThat(c.name()).matches("[a-z]+_[a-z]+");
        assertThat(c.settings().hostname()).isEqualTo(c.id().substring(0, 12));
        assertThat(c.settings().cmd()).containsExactly("sh");
        assertThat(c.settings().env()).containsExactly("A=1", "PATH=/bin");
        assertThat(c.settings().labels()).containsEntry("img", "1");
        assertThat(c.state().status()).isEqualTo(Status.CREATED);
        assertThat(lifecycle.prepared).containsExactly(c.id());
    }

    @Test
    void create_refusesTakenAndInvalidNames_leavingNothing() {
        Container first = service.create(new ContainerService.CreateRequest("web", "busybox", request()));
        assertThatThrownBy(() -> service.create(new ContainerService.CreateRequest("web", "busybox", request())))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Conflict. The container name \"/web\" is already in use by container \"" + first.id()
                        + "\". You have to remove (or rename) that container to be able to reuse that name.");
        assertThatThrownBy(() -> service.create(new ContainerService.CreateRequest("-bad", "busybox", request())))
                .hasMessage("Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> service.create(new ContainerService.CreateRequest("x1", "nope", request())))
                .isInstanceOf(EngineException.NotFound.class).hasMessage("No such image: nope:latest");
        assertThat(service.list()).hasSize(1);
    }

    @Test
    void create_failingPrepare_leavesNoRecordAndDiscardsTheDirectory() {
        lifecycle.failPrepare = true;
        assertThatThrownBy(() -> service.create(new ContainerService.CreateRequest("x1", "busybox", request())))
                .isInstanceOf(EngineException.Internal.class);
        assertThat(service.list()).isEmpty();
        assertThat(lifecycle.discarded).hasSize(1);
    }

    @Test
    void start_exit_wait_andRemove() throws Exception {
        Container c = service.create(new ContainerService.CreateRequest("c1", "busybox", request("true")));
        CompletableFuture<Integer> waited = parkedWaiter(() -> service.await("c1", WaitCondition.NEXT_EXIT));
        service.start("c1");
        assertThat(service.inspect("c1").state().status()).isEqualTo(Status.RUNNING);
        assertThatThrownBy(() -> service.start("c1")).isInstanceOf(EngineException.NotModified.class);
        assertThatThrownBy(() -> service.remove("c1", false)).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("cannot remove container \"c1\": container is running: stop the container before removing or force remove");
        service.onExit(c.id(), 3, Instant.now());
        assertThat(waited.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(service.inspect(c.id().substring(0, 8)).state().exitCode()).isEqualTo(3);
        assertThat(lifecycle.stopped).containsExactly(c.id());
        assertThat(service.await("c1", WaitCondition.NOT_RUNNING)).isEqualTo(3);
        service.remove("c1", false);
        assertThatThrownBy(() -> service.inspect("c1")).hasMessage("No such container: c1");
    }

    @Test
    void startFailure_recordsDockersExitCode() {
        service.create(new ContainerService.CreateRequest("bad", "busybox", request("nosuch")));
        lifecycle.startFailure = new Lifecycle.StartFailure("exec: \"nosuch\": executable file not found in $PATH", 127, null);
        assertThatThrownBy(() -> service.start("bad")).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessageContaining("executable file not found");
        assertThat(service.inspect("bad").state().exitCode()).isEqualTo(127);
        assertThat(service.inspect("bad").state().status()).isEqualTo(Status.EXITED);
    }

    @Test
    void autoRemove_removesAfterExit_andReleasesRemovedWaiters() throws Exception {
        ContainerSettings r = request("true");
        r = new ContainerSettings(r.hostname(), r.domainname(), r.user(), r.attachStdin(), r.attachStdout(),
                r.attachStderr(), r.tty(), r.openStdin(), r.stdinOnce(), r.env(), r.cmd(), r.entrypoint(),
                r.workingDir(), r.labels(), r.exposedPorts(), r.volumes(), r.stopSignal(), r.stopTimeout(),
                r.networkMode(), true, r.memory(), r.nanoCpus(), r.pidsLimit(), r.shmSize(), r.runtime(),
                r.restartPolicy(), r.restartMaxRetries(), r.capAdd(), r.capDrop(), r.privileged(), r.readonlyRootfs(),
                r.logDriver(), r.logOptions(), r.init(), r.dns(), r.dnsSearch(), r.dnsOptions(), r.extraHosts(),
                r.groupAdd(), r.sysctls(), r.consoleSize());
        Container c = service.create(new ContainerService.CreateRequest("tmp", "busybox", r));
        CompletableFuture<Integer> removed = parkedWaiter(() -> service.await("tmp", WaitCondition.REMOVED));
        service.start("tmp");
        service.onExit(c.id(), 0, Instant.now());
        assertThat(removed.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(service.list()).isEmpty();
    }

    @Test
    void stop_sendsTheStopSignal_thenKillsAfterTheTimeout() throws Exception {
        Container c = service.create(new ContainerService.CreateRequest("s1", "busybox", request("sleep", "300")));
        service.start("s1");
        lifecycle.onKill = (id, sig) -> {
            if (sig == Signals.SIGKILL) {
                Thread.ofVirtual().start(() -> service.onExit(id, 137, Instant.now()));
            }
        };
        service.stop("s1", 0, null);
        assertThat(lifecycle.signals).containsExactly(Signals.SIGTERM, Signals.SIGKILL);
        assertThat(service.inspect("s1").state().exitCode()).isEqualTo(137);
        assertThatThrownBy(() -> service.stop("s1", 1, null)).isInstanceOf(EngineException.NotModified.class);
        assertThatThrownBy(() -> service.kill("s1", "HUP")).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("cannot kill container: s1: container " + c.id() + " is not running");
    }

    @Test
    void recover_marksContainersThatExitedWhileTheDaemonWasDown_andDropsOrphanDirectories() throws Exception {
        Container c = service.create(new ContainerService.CreateRequest("r1", "busybox", request("true")));
        service.start("r1");
        Files.createDirectories(root.resolve("containers").resolve("orphan"));
        lifecycle.exits.put(c.id(), new Lifecycle.Exit(42, Instant.parse("2026-01-01T00:00:00Z")));
        ContainerService restarted = newService();
        restarted.recover();
        assertThat(restarted.inspect("r1").state().exitCode()).isEqualTo(42);
        assertThat(restarted.inspect("r1").state().finishedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(lifecycle.discarded).contains("orphan");
    }

    /** Records what the service asked for; exits happen only when the test says so. */
    static final class FakeLifecycle implements Lifecycle {
        final List<String> prepared = new ArrayList<>();
        final List<String> stopped = new ArrayList<>();
        final List<String> discarded = new ArrayList<>();
        final List<Integer> signals = new ArrayList<>();
        final Map<String, Exit> exits = new java.util.HashMap<>();
        boolean failPrepare;
        StartFailure startFailure;
        java.util.function.BiConsumer<String, Integer> onKill = (id, sig) -> { };

        @Override
        public void prepare(Container c, Path dir) throws java.io.IOException {
            if (failPrepare) {
                throw new java.io.IOException("disk full");
            }
            prepared.add(c.id());
        }

        @Override
        public int start(Container c, Path dir, List<PendingAttach> attaches) throws StartFailure {
            if (startFailure != null) {
                throw startFailure;
            }
            attaches.forEach(PendingAttach::finished);
            return 4242;
        }

        @Override
        public void stopped(Container c, Path dir) {
            stopped.add(c.id());
        }

        @Override
        public void resumed(Container c, Path dir) {
            // nothing watched in the fake
        }

        @Override
        public void discard(String id, Path dir) {
            discarded.add(id);
        }

        @Override
        public void kill(String id, int signal) {
            signals.add(signal);
            onKill.accept(id, signal);
        }

        @Override
        public Exit exitOf(String id) {
            return exits.get(id);
        }

        @Override
        public boolean isAlive(String id) {
            return false;
        }

        @Override
        public void logs(Container c, Path dir, LogOptions options, OutputSink sink, BooleanSupplier running) {}

        @Override
        public void attach(Container c, AttachOptions options, InputStream stdin, OutputSink sink) {}

        @Override
        public void resize(String id, int height, int width) {}

        @Override
        public void export(Container c, OutputStream out) {}

        @Override
        public void watchExits(ExitListener listener) {}

        @Override
        public void close() {}
    }

    /**
     * Runs {@code wait} on a thread of its own and returns once that thread is parked in it, so that the event it waits
     * for cannot happen before it waits (nor can a waiter left blocked starve the common pool other tests use).
     */
    private static CompletableFuture<Integer> parkedWaiter(Supplier<Integer> wait) throws InterruptedException {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(wait.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        for (int i = 0; i < 500 && waiter.getState() != Thread.State.WAITING; i++) {
            Thread.sleep(10);
        }
        assertThat(waiter.getState()).isEqualTo(Thread.State.WAITING);
        return result;
    }
}
