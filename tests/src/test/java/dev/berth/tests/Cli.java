package dev.berth.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the berth CLI (from the test class path) or the machine's docker CLI against a test daemon. */
final class Cli {
    /** What a command printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }

        String out() {
            return stdout.strip();
        }
    }

    private Cli() {}

    static Result berth(Daemon d, String... args) {
        return berthWithInput(d, null, args);
    }

    static Result berthWithInput(Daemon d, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.add("dev.berth.cli.Main");
        cmd.add("-H");
        cmd.add(d.host());
        cmd.addAll(List.of(args));
        return run(new ProcessBuilder(cmd), stdin);
    }

    static Result docker(Daemon d, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_HOST", d.host());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        pb.environment().put("DOCKER_CONFIG", "/tmp/berth-tests-docker-config");
        return run(pb, null);
    }

    static Result run(ProcessBuilder pb, byte[] stdin) {
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("command did not finish in 120 s: " + pb.command());
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
