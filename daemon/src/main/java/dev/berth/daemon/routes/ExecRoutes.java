package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Hijacked;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.ExecConfig;
import dev.berth.engine.containers.ExecSession;
import dev.berth.engine.containers.OutputSink;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The exec endpoints (moby {@code api/server/router/container/exec.go}): create, start (hijacked unless detached),
 * resize and inspect.
 */
public final class ExecRoutes {
    private final ContainerService containers;

    public ExecRoutes(ContainerService containers) {
        this.containers = containers;
    }

    public void register(Router r) {
        r.add("POST", "/containers/{id}/exec", (ex, p) -> create(ex, p.getFirst()));
        r.add("POST", "/exec/{id}/start", (ex, p) -> start(ex, p.getFirst()));
        r.add("POST", "/exec/{id}/resize", (ex, p) -> {
            containers.execResize(p.getFirst(), number(ex.query("h")), number(ex.query("w")));
            ex.sendEmpty(200);
        });
        r.add("GET", "/exec/{id}/json", (ex, p) -> Responses.json(ex, 200, inspect(containers.execInspect(p.getFirst()))));
    }

    private void create(Exchange ex, String ref) throws Exception {
        JsonNode body = Responses.JSON.readTree(ex.body());
        if (body == null || body.isMissingNode() || body.isNull()) {
            body = Responses.JSON.createObjectNode();
        }
        ExecConfig config = new ExecConfig(strings(body.get("Cmd")), strings(body.get("Env")), text(body, "User"),
                text(body, "WorkingDir"), body.path("Tty").asBoolean(), body.path("Privileged").asBoolean(),
                body.path("AttachStdin").asBoolean(), body.path("AttachStdout").asBoolean(),
                body.path("AttachStderr").asBoolean(), text(body, "DetachKeys"), consoleSize(body.get("ConsoleSize")));
        ExecSession session = containers.execCreate(ref, config);
        Responses.json(ex, 201, Responses.JSON.createObjectNode().put("Id", session.id()));
    }

    /**
     * Detached: a plain 200 once the process runs. Attached: the exec must exist before the connection is taken over
     * (a JSON 404 otherwise); after that, a start failure travels in the stream as text, as moby writes it, and the
     * exit code is recorded before the connection closes.
     */
    private void start(Exchange ex, String execId) throws Exception {
        JsonNode body = Responses.JSON.readTree(ex.body());
        boolean detach = body != null && body.path("Detach").asBoolean();
        ExecSession session = containers.execInspect(execId);
        if (detach) {
            containers.execStart(execId, true, InputStream.nullInputStream(), null);
            ex.sendEmpty(200);
            return;
        }
        boolean raw = body != null && body.has("Tty") ? body.path("Tty").asBoolean() : session.config().tty();
        ExecConfig config = session.config();
        try (Hijacked conn = ex.hijack(StreamSink.contentType(raw))) {
            OutputSink sink = new StreamSink(conn.out(), raw, config.attachStdout(), config.attachStderr());
            try {
                containers.execStart(execId, false, conn.in(), sink);
            } catch (EngineException e) {
                OutputStream out = conn.out();
                byte[] message = (e.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8);
                new StreamSink(out, raw, true, true).write(OutputSink.Stream.STDOUT, message, 0, message.length);
            }
        }
    }

    /** The ExecInspect shape (moby {@code api/types/container/exec.go}); ExitCode is null while the process runs. */
    static ObjectNode inspect(ExecSession s) {
        ExecConfig c = s.config();
        ObjectNode out = Responses.JSON.createObjectNode();
        out.put("CanRemove", false);
        out.put("ContainerID", s.containerId());
        out.put("DetachKeys", c.detachKeys() == null ? "" : c.detachKeys());
        Integer exit = s.exitCode();
        if (exit == null) {
            out.putNull("ExitCode");
        } else {
            out.put("ExitCode", exit);
        }
        out.put("ID", s.id());
        out.put("OpenStderr", c.attachStderr());
        out.put("OpenStdin", c.attachStdin());
        out.put("OpenStdout", c.attachStdout());
        ObjectNode process = out.putObject("ProcessConfig");
        ArrayNode arguments = process.putArray("arguments");
        c.cmd().stream().skip(1).forEach(arguments::add);
        process.put("entrypoint", c.cmd().isEmpty() ? "" : c.cmd().getFirst());
        process.put("privileged", c.privileged());
        process.put("tty", c.tty());
        if (!c.user().isEmpty()) {
            process.put("user", c.user());
        }
        out.put("Running", s.running());
        out.put("Pid", s.pid());
        return out;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isTextual()) {
            out.add(node.asText()); // strslice: a single string is a one-element list
            return out;
        }
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Integer> consoleSize(JsonNode node) {
        List<Integer> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> out.add(n.asInt()));
        }
        return out;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("invalid number: \"" + s + "\"");
        }
    }
}
