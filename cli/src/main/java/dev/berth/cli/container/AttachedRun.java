package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.api.client.HijackedStream;
import dev.berth.api.client.JsonTrees;
import dev.berth.cli.Cli;
import dev.berth.cli.Terminal;
import java.io.IOException;

/**
 * The foreground part of {@code run} and {@code start -a}, in docker's order (ENGINE-API.md §3.2): attach (hijacked)
 * before start so no output is lost, open the wait before start so a fast exit is not missed, start, resize the TTY,
 * copy streams, then take the exit code from the wait.
 */
final class AttachedRun {
    interface Starter {
        void start() throws IOException;
    }

    /** How to attach: TTY framing, whether stdin is sent, auto-remove (wait for removal), detach keys, signal proxy. */
    record Options(boolean tty, boolean stdin, boolean autoRemove, String detachKeys, boolean sigProxy) {
    }

    private AttachedRun() {
    }

    static int run(Cli cli, String id, Options options, Starter starter) throws IOException {
        String path = "/containers/" + ApiRequest.segment(id);
        Thread signals = null;
        if (!options.tty() && options.sigProxy()) {
            // Installing the handlers costs a freshly started JVM a proxy class: it is done while the daemon attaches
            // and starts the container, and awaited before the output is copied.
            signals = Thread.ofPlatform().daemon().name("berth-signals").start(() -> {
                for (String signal : Signals.PROXIED) {
                    Signals.handle(signal, s -> forward(cli, path, s));
                }
            });
        }
        DetachKeys keys;
        try {
            keys = DetachKeys.parse(options.detachKeys());
        } catch (IllegalArgumentException e) {
            throw new dev.berth.cli.CliException(e.getMessage(), 125);
        }
        HijackedStream stream = cli.client().hijack(ApiRequest.post(path + "/attach")
                .query("stream", "1")
                .query("stdin", options.stdin() ? "1" : null)
                .query("stdout", "1")
                .query("stderr", "1")
                .query("detachKeys", options.detachKeys()));
        ApiResponse wait;
        try {
            wait = cli.client().send(ApiRequest.post(path + "/wait")
                    .query("condition", options.autoRemove() ? "removed" : "next-exit"));
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
        Terminal.Restore restore = null;
        try {
            if (options.tty() && options.stdin() && cli.stdinIsTerminal()) {
                restore = Terminal.makeRaw();
            }
            AttachSession session = new AttachSession(cli, stream, options.tty(), options.stdin(), keys);
            session.startInput();
            try {
                starter.start();
            } catch (IOException | RuntimeException e) {
                stream.close();
                wait.close();
                throw e;
            }
            if (options.tty() && cli.stdoutIsTerminal()) {
                resizeQuietly(cli, path, 0);
                Signals.handle("WINCH", s -> resizeQuietly(cli, path, 0));
            }
            if (signals != null) {
                awaitQuietly(signals);
            }
            boolean detached = session.copyOutput();
            if (detached) {
                wait.close();
                return 0;
            }
        } finally {
            if (restore != null) {
                restore.close();
            }
        }
        JsonNode result;
        try (wait) {
            result = JsonTrees.read(wait.body());
        }
        String error = result == null ? null : result.path("Error").path("Message").asText(null);
        if (error != null && !error.isEmpty()) {
            cli.err().println("Error waiting for container: " + error);
            return 125;
        }
        return result == null ? 125 : result.path("StatusCode").asInt();
    }

    private static void awaitQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resizes the container's TTY to the terminal's size plus {@code extra} rows and columns. */
    static void resize(Cli cli, String path, int extra) throws IOException {
        int[] size = Terminal.size();
        if (size != null) {
            cli.client().call(ApiRequest.post(path + "/resize").query("h", Integer.toString(size[0] + extra))
                    .query("w", Integer.toString(size[1] + extra)));
        }
    }

    static void resizeQuietly(Cli cli, String path, int extra) {
        try {
            resize(cli, path, extra);
        } catch (IOException | RuntimeException e) {
            // A resize that races with the container's exit is harmless; docker ignores it too.
            return;
        }
    }

    /** Sends {@code signal} to the container, as docker's signal proxy does. */
    static void forward(Cli cli, String path, String signal) {
        try {
            cli.client().call(ApiRequest.post(path + "/kill").query("signal", signal));
        } catch (IOException | RuntimeException e) {
            // The container may already be gone; the next read of its output ends the session anyway.
            return;
        }
    }
}
