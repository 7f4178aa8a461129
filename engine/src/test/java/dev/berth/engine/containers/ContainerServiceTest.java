package dev.berth.engine.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.DaemonConfig;
import dev.berth.engine.EngineException;
import dev.berth.engine.events.EventBus;
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
    EventBus events;

    static final ImageDefaults BUSYBOX = new ImageDefaults("", List.of("PATH=/bin"), List.of("sh"), null, "",
            Map.of("img", "1"), List.of(), List.of(), null, null);

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
        }, lifecycle, new Names(new Random(1)), Clock.systemUTC(), events = new EventBus(Clock.systemUTC()));
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    static ContainerSettings request(String... cmd) {
        return withPolicy(null, 0, false, cmd);
    }

    static ContainerSettings withPolicy(String restart, int maxRetries, boolean autoRemove, String... cmd) {
        return new ContainerSettings(null, null, null, false, true, true, false, false, false, List.of("A=1"),
                cmd.length == 0 ? null : List.of(cmd), null, null, null, null, null, null, null, null, autoRemove, 0, 0,
                null, 0, null, restart, maxRetries, null, null, false, false, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
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
                r.groupAdd(), r.sysctls(), r.consoleSize(), r.healthcheck(), r.isolation(), r.networking(), r.storage());
        Container c = service.create(new ContainerService.CreateRequest("tmp", "busybox", r));
        CompletableFuture<Integer> removed = parkedWaiter(() -> service.await("tmp", WaitCondition.REMOVED));
        service.start("tmp");
        Thread.sleep(200); // the waiter must have found the container before it goes
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

    @Test
    void onFailure_restartsAfterTheBackoff_countsRestarts_andStopsAtTheMaximum() throws Exception {
        Container c = service.create(new ContainerService.CreateRequest("of", "busybox", withPolicy("on-failure", 2, false, "false")));
        service.start("of");
        for (int restart = 1; restart <= 2; restart++) {
            service.onExit(c.id(), 1, Instant.now());
            assertThat(service.inspect("of").state().status()).isEqualTo(Status.RESTARTING);
            assertThat(service.inspect("of").restartCount()).isEqualTo(restart);
            awaitStatus("of", Status.RUNNING);
        }
        service.onExit(c.id(), 1, Instant.now());
        assertThat(service.inspect("of").state().status()).isEqualTo(Status.EXITED);
        assertThat(service.inspect("of").restartCount()).isEqualTo(2);
    }

    @Test
    void always_doesNotRestartAfterAUserStop_butStartsAgainWhenTheDaemonStarts() throws Exception {
        Container c = service.create(new ContainerService.CreateRequest("al", "busybox", withPolicy("always", 0, false, "sleep", "9")));
        service.start("al");
        lifecycle.onKill = (id, sig) -> CompletableFuture.runAsync(() -> service.onExit(id, 143, Instant.now()));
        service.stop("al", 1, null);
        Thread.sleep(300);
        assertThat(service.inspect("al").state().status()).isEqualTo(Status.EXITED);
        assertThat(service.inspect("al").stoppedByUser()).isTrue();

        ContainerService restarted = newService();
        service = restarted;
        restarted.recover();
        awaitStatus("al", Status.RUNNING);
        assertThat(restarted.inspect("al").stoppedByUser()).isFalse();
    }

    @Test
    void unlessStopped_stoppedByTheUser_staysStoppedWhenTheDaemonStarts() throws Exception {
        Container c = service.create(new ContainerService.CreateRequest("us", "busybox", withPolicy("unless-stopped", 0, false, "sleep", "9")));
        service.start("us");
        lifecycle.onKill = (id, sig) -> CompletableFuture.runAsync(() -> service.onExit(id, 137, Instant.now()));
        service.kill("us", null);
        awaitStatus("us", Status.EXITED);
        ContainerService restarted = newService();
        restarted.recover();
        Thread.sleep(300);
        assertThat(restarted.inspect("us").state().status()).isEqualTo(Status.EXITED);
        assertThat(c.id()).isEqualTo(restarted.inspect("us").id());
    }

    @Test
    void removeForce_ofARestartingContainer_cancelsTheRestart() throws Exception {
        Container c = service.create(new ContainerService.CreateRequest("rr", "busybox", withPolicy("always", 0, false, "false")));
        service.start("rr");
        for (int i = 0; i < 6; i++) { // the back-off grows to 3.2 s: long enough to catch it restarting
            service.onExit(c.id(), 1, Instant.now());
            if (i < 5) {
                awaitStatus("rr", Status.RUNNING);
            }
        }
        assertThat(service.inspect("rr").state().status()).isEqualTo(Status.RESTARTING);
        assertThatThrownBy(() -> service.remove("rr", false)).isInstanceOf(EngineException.Conflict.class)
                .hasMessageContaining("container is restarting");
        service.remove("rr", true);
        assertThat(service.list()).isEmpty();
    }

    @Test
    void badRestartPolicies_getDockersMessages_andCreateNothing() {
        assertThatThrownBy(() -> service.create(new ContainerService.CreateRequest("p1", "busybox", withPolicy("always", 3, false, "true"))))
                .hasMessage("invalid restart policy: maximum retry count can only be used with 'on-failure'");
        assertThatThrownBy(() -> service.create(new ContainerService.CreateRequest("p2", "busybox", withPolicy("sometimes", 0, false, "true"))))
                .hasMessage("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        assertThatThrownBy(() -> service.create(new ContainerService.CreateRequest("p3", "busybox", withPolicy("on-failure", -1, false, "true"))))
                .hasMessage("invalid restart policy: maximum retry count cannot be negative");
        assertThatThrownBy(() -> service.create(new ContainerService.CreateRequest("p4", "busybox", withPolicy("always", 0, true, "true"))))
                .hasMessage("can't create 'AutoRemove' container with restart policy");
        assertThat(service.list()).isEmpty();
    }

    @Test
    void lifecycle_emitsDockersContainerEvents() throws Exception {
        var sub = events.subscribe(null, null, dev.berth.engine.events.EventFilter.all());
        Container c = service.create(new ContainerService.CreateRequest("ev", "busybox", request("true")));
        service.start("ev");
        service.onExit(c.id(), 3, Instant.now());
        service.remove("ev", false);
        List<String> seen = new ArrayList<>();
        for (var e = sub.next(java.time.Duration.ofSeconds(1)); e != null; e = sub.next(java.time.Duration.ofMillis(100))) {
            seen.add(e.action() + (e.attributes().containsKey("exitCode") ? "=" + e.attributes().get("exitCode") : ""));
            assertThat(e.attributes()).containsEntry("name", "ev").containsEntry("image", "busybox").containsEntry("img", "1");
        }
        assertThat(seen).containsExactly("create", "start", "die=3", "destroy");
    }

    private void awaitStatus(String name, Status status) throws InterruptedException {
        for (int i = 0; i < 100 && service.inspect(name).state().status() != status; i++) {
            Thread.sleep(20);
        }
        assertThat(service.inspect(name).state().status()).isEqualTo(status);
    }

    /** Records what the service asked for; exits happen only when the test says so. */
    @Test
    void pause_andUnpause_moveBetweenRunningAndPaused_withDockersConflicts() {
        Container c = service.create(new ContainerService.CreateRequest("p1", "busybox", request("sleep")));
        assertThatThrownBy(() -> service.pause("p1")).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("container " + c.id() + " is not running");
        service.start("p1");
        service.pause("p1");
        assertThat(service.inspect("p1").state().status()).isEqualTo(Status.PAUSED);
        assertThat(lifecycle.paused).containsExactly(c.id());
        assertThatThrownBy(() -> service.pause("p1")).hasMessage("container " + c.id() + " is already paused");
        assertThatThrownBy(() -> service.execCreate("p1", new ExecConfig(List.of("ls"), null, null, null, false, false,
                false, true, true, null, null))).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Container " + c.id() + " is paused, unpause the container before exec");
        service.kill("p1", "KILL");
        assertThat(lifecycle.paused).isEmpty(); // thawed after the signal, as Docker does
        assertThat(service.inspect("p1").state().status()).isEqualTo(Status.RUNNING);
        assertThatThrownBy(() -> service.unpause("p1")).hasMessage("Container " + c.id() + " is not paused");
    }

    @Test
    void exec_refusesAStoppedContainer_anEmptyCommand_andRecordsDockersExitCodeWhenTheStartFails() {
        Container c = service.create(new ContainerService.CreateRequest("e1", "busybox", request("sleep")));
        ExecConfig ls = new ExecConfig(List.of("nosuch"), null, null, null, false, false, false, true, true, null, null);
        assertThatThrownBy(() -> service.execCreate("e1", ls)).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("container " + c.id() + " is not running");
        service.start("e1");
        assertThatThrownBy(() -> service.execCreate("e1", new ExecConfig(List.of(), null, null, null, false, false, false,
                true, true, null, null))).isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("No exec command specified");
        ExecSession session = service.execCreate("e1", ls);
        assertThat(service.execIds(c.id())).containsExactly(session.id());
        assertThatThrownBy(() -> service.execStart(session.id(), true, InputStream.nullInputStream(), null))
                .isInstanceOf(EngineException.InvalidArgument.class).hasMessageContaining("executable file not found");
        assertThat(service.execInspect(session.id()).exitCode()).isEqualTo(127);
        assertThat(service.execIds(c.id())).isEmpty();
        assertThatThrownBy(() -> service.execStart(session.id(), true, InputStream.nullInputStream(), null))
                .isInstanceOf(EngineException.Conflict.class).hasMessageContaining("has already run");
        assertThatThrownBy(() -> service.execInspect("nope")).isInstanceOf(EngineException.NotFound.class)
                .hasMessage("No such exec instance: nope");
    }

    @Test
    void rename_checksTheNewName_andConflicts() {
        Container a = service.create(new ContainerService.CreateRequest("a1", "busybox", request()));
        Container b = service.create(new ContainerService.CreateRequest("b1", "busybox", request()));
        service.rename("a1", "/c1");
        assertThat(service.inspect(a.id()).name()).isEqualTo("c1");
        assertThatThrownBy(() -> service.rename("c1", "b1")).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Error when allocating new name: Conflict. The container name \"/b1\" is already in use by "
                        + "container \"" + b.id() + "\". You have to remove (or rename) that container to be able to "
                        + "reuse that name.");
        assertThatThrownBy(() -> service.rename("c1", "c1")).isInstanceOf(EngineException.InvalidArgument.class);
        assertThatThrownBy(() -> service.rename("c1", "")).hasMessage("Neither old nor new names may be empty");
        assertThatThrownBy(() -> service.rename("c1", "-x")).isInstanceOf(EngineException.InvalidArgument.class);
    }

    @Test
    void update_recordsNewLimits_andAppliesThemToARunningContainerOnly() {
        Container c = service.create(new ContainerService.CreateRequest("u1", "busybox", request("sleep")));
        service.update("u1", new ContainerService.Update(64L << 20, null, null, "always", 0));
        assertThat(lifecycle.updates).isEmpty();
        assertThat(service.inspect("u1").settings().memory()).isEqualTo(64L << 20);
        assertThat(service.inspect("u1").settings().restartPolicy()).isEqualTo("always");
        service.start("u1");
        service.update("u1", new ContainerService.Update(null, 500_000_000L, 10L, null, null));
        assertThat(lifecycle.updates).containsExactly(java.util.Arrays.asList(null, 500_000_000L, 10L));
        ContainerSettings s = service.inspect(c.id()).settings();
        assertThat(s.memory()).isEqualTo(64L << 20);
        assertThat(s.nanoCpus()).isEqualTo(500_000_000L);
        assertThat(s.pidsLimit()).isEqualTo(10L);
        assertThatThrownBy(() -> service.update("u1", new ContainerService.Update(1024L, null, null, null, null)))
                .hasMessage("Minimum memory limit allowed is 6MB");
        assertThatThrownBy(() -> service.update("u1", new ContainerService.Update(null, null, null, "never", 0)))
                .hasMessage("invalid restart policy 'never'");
    }

    static final class FakeLifecycle implements Lifecycle {
        final List<String> prepared = new ArrayList<>();
        final List<String> stopped = new ArrayList<>();
        final List<String> discarded = new ArrayList<>();
        final List<Integer> signals = new ArrayList<>();
        final java.util.Set<String> paused = new java.util.HashSet<>();
        final List<List<Long>> updates = new ArrayList<>();
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
        public ProbeResult probe(String id, List<String> argv, java.time.Duration timeout, int maxOutput) {
            return new ProbeResult(0, "", false);
        }

        @Override
        public void export(Container c, OutputStream out) {}

        @Override
        public RunningExec exec(Container c, String execId, ExecConfig config, boolean attached) throws StartFailure {
            throw new StartFailure("exec: \"" + config.cmd().getFirst() + "\": executable file not found in $PATH", 127, null);
        }

        @Override
        public void pause(String id) {
            paused.add(id);
        }

        @Override
        public void resume(String id) {
            paused.remove(id);
        }

        @Override
        public TopResult top(String id, String psArgs) {
            return new TopResult(List.of("PID", "CMD"), List.of(List.of("4242", "sh")));
        }

        @Override
        public StatsReading stats(Container c) {
            throw new UnsupportedOperationException("no cgroups in unit tests");
        }

        @Override
        public void update(String id, Long memoryBytes, Long nanoCpus, Long pidsLimit) {
            updates.add(java.util.Arrays.asList(memoryBytes, nanoCpus, pidsLimit));
        }

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
