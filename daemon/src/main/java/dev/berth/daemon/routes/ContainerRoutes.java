package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.types.ContainerConfig;
import dev.berth.api.types.ContainerSummary;
import dev.berth.api.types.HostConfig;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Hijacked;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.DiskUsage;
import dev.berth.engine.EngineException;
import dev.berth.engine.build.CommitService;
import dev.berth.engine.containers.AttachOptions;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.Health;
import dev.berth.engine.containers.LogDrivers;
import dev.berth.engine.containers.LogOptions;
import dev.berth.engine.containers.WaitCondition;
import dev.berth.engine.networks.NetworkService;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** The {@code /containers} endpoints: each decodes the request, calls one engine method and encodes the answer. */
public final class ContainerRoutes {
    private final ContainerService containers;
    private final Function<String, Path> dirOf;
    private final DiskUsage disk;

    private final CommitService commits;
    private NetworkService networks;

    public ContainerRoutes(ContainerService containers, Function<String, Path> dirOf, CommitService commits,
            DiskUsage disk) {
        this.containers = containers;
        this.dirOf = dirOf;
        this.commits = commits;
        this.disk = disk;
    }

    /** Adds the containers' networks and published ports to inspect and list. */
    public ContainerRoutes withNetworks(NetworkService n) {
        this.networks = n;
        return this;
    }

    public void register(Router r) {
        r.add("POST", "/containers/create", (ex, p) -> create(ex));
        r.add("GET", "/containers/json", (ex, p) -> list(ex));
        r.add("POST", "/containers/prune", (ex, p) -> prune(ex));
        r.add("GET", "/containers/{id}/json", (ex, p) -> inspect(ex, p.getFirst()));
        r.add("POST", "/containers/{id}/start", (ex, p) -> {
            containers.start(p.getFirst());
            ex.sendEmpty(204);
        });
        r.add("POST", "/containers/{id}/stop", (ex, p) -> {
            containers.stop(p.getFirst(), intOrNull(ex.query("t")), ex.query("signal"));
            ex.sendEmpty(204);
        });
        r.add("POST", "/containers/{id}/restart", (ex, p) -> {
            containers.restart(p.getFirst(), intOrNull(ex.query("t")), ex.query("signal"));
            ex.sendEmpty(204);
        });
        r.add("POST", "/containers/{id}/kill", (ex, p) -> {
            containers.kill(p.getFirst(), ex.query("signal"));
            ex.sendEmpty(204);
        });
        r.add("POST", "/containers/{id}/wait", (ex, p) -> await(ex, p.getFirst()));
        r.add("DELETE", "/containers/{id}", (ex, p) -> {
            containers.remove(p.getFirst(), ex.queryBool("force", false), ex.queryBool("v", false));
            ex.sendEmpty(204);
        });
        r.add("GET", "/containers/{id}/logs", (ex, p) -> logs(ex, p.getFirst()));
        r.add("POST", "/containers/{id}/attach", (ex, p) -> attach(ex, p.getFirst()));
        r.add("POST", "/containers/{id}/resize", (ex, p) -> {
            containers.resize(p.getFirst(), parseInt(ex.query("h")), parseInt(ex.query("w")));
            ex.sendEmpty(200);
        });
        r.add("GET", "/containers/{id}/changes", (ex, p) -> {
            List<CommitService.Change> changes = commits.changes(p.getFirst());
            Responses.json(ex, 200, changes.isEmpty() ? null : changes.stream()
                    .map(c -> java.util.Map.of("Path", c.path(), "Kind", c.kind())).toList());
        });
        r.add("POST", "/commit", (ex, p) -> commit(ex));
        r.add("GET", "/containers/{id}/export", (ex, p) -> {
            containers.inspect(p.getFirst());
            try (OutputStream out = ex.stream(200, "application/x-tar")) {
                containers.export(p.getFirst(), out);
            }
        });
    }

    /** {@code POST /commit}: the body (a container config) is accepted and ignored in favour of the container's own. */
    private void commit(Exchange ex) {
        String container = ex.query("container");
        if (container == null || container.isEmpty()) {
            throw new EngineException.InvalidArgument("No such container: ");
        }
        String id = commits.commit(new CommitService.CommitRequest(container, ex.query("repo"), ex.query("tag"),
                ex.query("comment"), ex.query("author"), ex.queryAll("changes")));
        Responses.json(ex, 201, Responses.JSON.createObjectNode().put("Id", id));
    }

    private void create(Exchange ex) throws Exception {
        JsonNode body = Responses.JSON.readTree(ex.body());
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw new EngineException.InvalidArgument("config cannot be empty in order to create a container");
        }
        ContainerConfig config = Responses.JSON.treeToValue(body, ContainerConfig.class);
        HostConfig host = body.hasNonNull("HostConfig")
                ? Responses.JSON.treeToValue(body.get("HostConfig"), HostConfig.class) : null;
        if (config.image() == null || config.image().isEmpty()) {
            throw new EngineException.InvalidArgument("No image was specified");
        }
        Container c = containers.create(new ContainerService.CreateRequest(ex.query("name"), config.image(),
                ContainerMapper.settings(config, host).withNetworking(NetworkView.networking(body))));
        ObjectNode out = Responses.JSON.createObjectNode().put("Id", c.id());
        out.putArray("Warnings");
        Responses.json(ex, 201, out);
    }

    private void list(Exchange ex) {
        ContainerFilters filters = ContainerFilters.parse(ex.query("filters"));
        boolean all = ex.queryBool("all", false);
        int limit = ex.query("limit") == null || ex.query("limit").isEmpty() ? -1 : Integer.parseInt(ex.query("limit"));
        List<Container> sorted = new ArrayList<>(containers.list());
        sorted.sort(Comparator.comparing(Container::created).reversed());
        Instant now = Instant.now();
        List<ContainerSummary> out = new ArrayList<>();
        boolean size = ex.queryBool("size", false);
        for (Container c : sorted) {
            if (!all && limit <= 0 && !c.state().isRunning() && !filters.hasStatus()) {
                continue;
            }
            Health health = containers.health(c.id()).orElse(null);
            if (!filters.matches(c, containers.registry(), health)) {
                continue;
            }
            DiskUsage.ContainerUsage usage = size ? disk.container(c) : null;
            out.add(ContainerMapper.summary(c, now, size ? usage.sizeRw() : null, size ? usage.sizeRootFs() : null,
                    health, networks));
            if (limit > 0 && out.size() >= limit) {
                break;
            }
        }
        Responses.json(ex, 200, out);
    }

    private void inspect(Exchange ex, String ref) {
        Container c = containers.inspect(ref);
        DiskUsage.ContainerUsage usage = ex.queryBool("size", false) ? disk.container(c) : null;
        Responses.json(ex, 200, ContainerMapper.inspect(c, dirOf.apply(c.id()), usage == null ? null : usage.sizeRw(),
                usage == null ? null : usage.sizeRootFs(), containers.execIds(c.id()),
                containers.health(c.id()).orElse(null), networks));
    }

    private void await(Exchange ex, String ref) throws Exception {
        WaitCondition condition = WaitCondition.parse(ex.query("condition"));
        containers.inspect(ref); // a 404 must come before the headers
        // The headers go out at once: `docker run` opens this wait before it starts the container.
        try (OutputStream out = ex.stream(200, "application/json")) {
            int code;
            String error = "null";
            try {
                code = containers.await(ref, condition);
            } catch (EngineException e) {
                code = -1;
                error = Responses.JSON.writeValueAsString(Responses.JSON.createObjectNode().put("Message", e.getMessage()));
            }
            out.write(("{\"StatusCode\":" + code + ",\"Error\":" + error + "}\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void logs(Exchange ex, String ref) throws Exception {
        boolean stdout = ex.queryBool("stdout", false);
        boolean stderr = ex.queryBool("stderr", false);
        if (!stdout && !stderr) {
            throw new EngineException.InvalidArgument("Bad parameters: you must choose at least one stream");
        }
        Container c = containers.inspect(ref);
        String tail = ex.query("tail");
        int n = tail == null || tail.isEmpty() || tail.equals("all") ? -1 : Math.max(0, parseInt(tail));
        LogOptions options = new LogOptions(stdout, stderr, ex.queryBool("follow", false), n,
                Times.parseUnix(ex.query("since")), Times.parseUnix(ex.query("until")), ex.queryBool("timestamps", false),
                ex.queryBool("details", false));
        boolean raw = c.settings().tty();
        LogDrivers.requireReadable(c.settings()); // the error must come before the headers
        // buffered: a chunk per line would cost a flush per line; the reader flushes whenever it has caught up
        try (OutputStream out = new java.io.BufferedOutputStream(ex.stream(200, StreamSink.contentType(raw)), 64 * 1024)) {
            containers.logs(ref, options, new StreamSink(out, raw, stdout, stderr, ex::connected));
        }
    }

    private void attach(Exchange ex, String ref) throws Exception {
        Container c = containers.inspect(ref);
        AttachOptions options = new AttachOptions(ex.queryBool("stdin", false), ex.queryBool("stdout", false),
                ex.queryBool("stderr", false), AttachOptions.parseDetachKeys(ex.query("detachKeys")));
        boolean raw = c.settings().tty();
        Hijacked[] conn = new Hijacked[1];
        try {
            containers.attach(ref, options, () -> {
                conn[0] = ex.hijack(StreamSink.contentType(raw));
                InputStream stdin = options.stdin() ? conn[0].in() : InputStream.nullInputStream();
                return new ContainerService.AttachStreams(stdin,
                        new StreamSink(conn[0].out(), raw, options.stdout(), options.stderr()));
            });
        } finally {
            if (conn[0] != null) {
                conn[0].close();
            }
        }
    }

    private void prune(Exchange ex) {
        ContainerFilters filters = ContainerFilters.parsePrune(ex.query("filters"));
        java.util.Map<String, Long> sizes = new java.util.HashMap<>();
        for (Container c : containers.list()) {
            if (!c.state().isRunning() && filters.matches(c, containers.registry(), null)) {
                DiskUsage.ContainerUsage usage = disk.container(c);
                sizes.put(c.id(), usage.sizeRw() + usage.logSize());
            }
        }
        List<String> removed = containers.prune(c -> sizes.containsKey(c.id()));
        ObjectNode out = Responses.JSON.createObjectNode();
        var deleted = out.putArray("ContainersDeleted");
        removed.forEach(deleted::add);
        out.put("SpaceReclaimed", removed.stream().mapToLong(id -> sizes.getOrDefault(id, 0L)).sum());
        Responses.json(ex, 200, out);
    }

    private static Integer intOrNull(String s) {
        return s == null || s.isEmpty() ? null : parseInt(s);
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("invalid number: \"" + s + "\"");
        }
    }
}
