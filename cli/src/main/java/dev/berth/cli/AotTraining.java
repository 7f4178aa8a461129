package dev.berth.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload the launcher records the JDK's AOT cache with ({@code berth --train-aot-cache}): everyday commands in one
 * JVM, against the running daemon when there is one, so that the cache holds the classes they load and link — picocli,
 * Jackson, the API client, the templates — and every later {@code berth} starts with them ready. Output is discarded.
 * Given an image ({@code berth --train-aot-cache IMAGE}), it also runs {@code run --rm IMAGE true}: a real container's
 * create, attach, start, wait and removal, the path whose latency matters most.
 */
public final class AotTraining {
    private static final List<List<String>> COMMANDS = List.of(
            List.of("version"), List.of("info", "--format", "{{json .}}"), List.of("ps", "-a"), List.of("images"),
            List.of("inspect", "--format", "{{.Id}}", "busybox"), List.of("run", "--help"), List.of("--help"));

    private AotTraining() {
    }

    public static void main(String[] args) {
        List<List<String>> commands = new ArrayList<>(COMMANDS);
        if (args.length > 0) {
            commands.add(List.of("run", "--rm", args[0], "true"));
        }
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        for (List<String> command : commands) {
            Cli cli = new Cli(InputStream.nullInputStream(), discard, discard, System.getenv(), false, false);
            Main.run(command.toArray(String[]::new), cli);
        }
        // berth ends through System.exit, whose logger look-up is worth having in the cache too.
        System.exit(0);
    }
}
