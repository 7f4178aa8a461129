package dev.berth.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code docker top}: the host's {@code ps} with the user's options, limited to a container's processes, as moby's
 * {@code daemon/top_unix.go} does it: ps runs with {@code -q <pids>} (and, if ps refuses that combination, without), and
 * the rows whose PID column is one of the container's are kept. Rows of threads ("-" in the PID column, with {@code m})
 * follow the process they belong to.
 */
public final class ProcessTable {
    /** What ps printed for the container: column titles and one row per process, as many cells as titles. */
    public record Table(List<String> titles, List<List<String>> processes) {
        public Table {
            titles = List.copyOf(titles);
            processes = processes.stream().map(List::copyOf).toList();
        }
    }

    /** Refused options: ps's own error (the first line of its stderr), or an option Docker forbids. */
    public static final class PsException extends Exception {
        private static final long serialVersionUID = 1L;

        public PsException(String message) {
            super(message);
        }
    }

    private static final Pattern RENAMED_PID = Pattern.compile("\\s+([^\\s]*)=\\s*(PID[^\\s]*)");

    private ProcessTable() {}

    /** Runs ps with {@code psArgs} (default {@code -ef}) and keeps the rows of {@code pids}. */
    public static Table top(String psArgs, Set<Long> pids) throws IOException, PsException {
        String args = psArgs == null || psArgs.isEmpty() ? "-ef" : psArgs;
        validate(args);
        List<String> base = new ArrayList<>(List.of("ps"));
        base.addAll(Arrays.asList(args.split(" ")));
        List<String> withPids = new ArrayList<>(base);
        withPids.add("-q" + String.join(",", pids.stream().map(String::valueOf).toList()));
        Result result = run(withPids);
        if (result.exit() != 0) {
            // some options (f, for one) cannot be combined with q: list everything and filter
            result = run(base);
            if (result.exit() != 0) {
                String first = result.stderr().lines().findFirst().orElse("exit status " + result.exit());
                throw new PsException("ps: " + first);
            }
        }
        return parse(result.stdout(), pids);
    }

    /** Docker refuses renaming another column to PID ("-o user=PID"), which would defeat the filtering. */
    static void validate(String psArgs) throws PsException {
        Matcher m = RENAMED_PID.matcher(psArgs);
        while (m.find()) {
            if (!m.group(1).equals(m.group(2))) {
                throw new PsException("specifying \"" + m.group(1) + "=" + m.group(2) + "\" is not allowed");
            }
        }
    }

    /** moby's parsePSOutput. */
    static Table parse(String output, Set<Long> pids) throws PsException {
        String[] lines = output.split("\n");
        List<String> titles = fields(lines[0]);
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) {
            throw new PsException("Couldn't find PID field in ps output");
        }
        List<List<String>> processes = new ArrayList<>();
        boolean previousKept = false;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            List<String> f = fields(lines[i]);
            if (f.size() <= pidIndex) {
                continue;
            }
            if (f.get(pidIndex).equals("-")) {
                if (previousKept) {
                    processes.add(row(f, titles.size()));
                }
                continue;
            }
            long pid;
            try {
                pid = Long.parseLong(f.get(pidIndex));
            } catch (NumberFormatException e) {
                throw new PsException("Unexpected pid '" + f.get(pidIndex) + "': " + e.getMessage());
            }
            previousKept = pids.contains(pid);
            if (previousKept) {
                processes.add(row(f, titles.size()));
            }
        }
        return new Table(titles, processes);
    }

    /** The cells of a row: one per title, the last one holding the rest of the line (the command and its arguments). */
    private static List<String> row(List<String> fields, int columns) {
        if (fields.size() <= columns) {
            return fields;
        }
        List<String> row = new ArrayList<>(fields.subList(0, columns - 1));
        row.add(String.join(" ", fields.subList(columns - 1, fields.size())));
        return row;
    }

    /** Splits on ASCII whitespace only, as moby's fieldsASCII: a command may contain other spaces. */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        for (String f : line.split("[ \\t\\n\\r\\f\\v]+")) {
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("ps did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ps", e);
        }
        return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
    }
}
