package dev.berth.engine;

import dev.berth.linux.IdMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * daemon.json's {@code userns-remap}, as Docker reads it: {@code "default"} is the user and group {@code dockremap},
 * created with subordinate id ranges if missing; otherwise {@code user[:group]} (names or ids) whose ranges in
 * {@code /etc/subuid} and {@code /etc/subgid} become the containers' ids, in file order, from container id 0.
 */
public final class UsernsRemap {
    static final String DEFAULT_USER = "dockremap";
    private static final long FIRST_SUBORDINATE_ID = 100_000;
    private static final long RANGE_SIZE = 65_536;

    private UsernsRemap() {}

    /** The mapping for {@code setting}, or empty when remapping is off. */
    public static Optional<IdMap> resolve(String setting, Path etc) throws IOException {
        if (setting == null || setting.isEmpty()) {
            return Optional.empty();
        }
        String user = setting;
        String group = setting;
        int colon = setting.indexOf(':');
        if (colon >= 0) {
            user = setting.substring(0, colon);
            group = setting.substring(colon + 1);
        }
        if (setting.equals("default")) {
            user = DEFAULT_USER;
            group = DEFAULT_USER;
            createDefaultUser(etc);
        }
        List<IdMap.Range> uids = ranges(etc.resolve("subuid"), names(etc.resolve("passwd"), user));
        if (uids.isEmpty()) {
            throw new IOException("Can't create ID mappings: No subuid ranges found for user \"" + user + "\"");
        }
        List<IdMap.Range> gids = ranges(etc.resolve("subgid"), names(etc.resolve("group"), group));
        if (gids.isEmpty()) {
            throw new IOException("Can't create ID mappings: No subgid ranges found for group \"" + group + "\"");
        }
        return Optional.of(new IdMap(uids, gids));
    }

    /** {@code name} and its id, or the id and its name: subordinate id files may use either. */
    private static List<String> names(Path database, String nameOrId) throws IOException {
        List<String> names = new ArrayList<>(List.of(nameOrId));
        if (Files.exists(database)) {
            for (String line : Files.readAllLines(database)) {
                String[] f = line.split(":");
                if (f.length > 2 && (f[0].equals(nameOrId) || f[2].equals(nameOrId))) {
                    names.add(f[0].equals(nameOrId) ? f[2] : f[0]);
                }
            }
        }
        return names;
    }

    /** The ranges of {@code names} in a subordinate id file, each mapped after the previous one. */
    static List<IdMap.Range> ranges(Path file, List<String> names) throws IOException {
        List<IdMap.Range> ranges = new ArrayList<>();
        if (!Files.exists(file)) {
            return ranges;
        }
        long next = 0;
        for (String line : Files.readAllLines(file)) {
            String[] f = line.strip().split(":");
            if (f.length == 3 && names.contains(f[0])) {
                try {
                    long start = Long.parseLong(f[1]);
                    long size = Long.parseLong(f[2]);
                    ranges.add(new IdMap.Range(next, start, size));
                    next += size;
                } catch (NumberFormatException e) {
                    throw new IOException("invalid line in " + file + ": " + line, e);
                }
            }
        }
        return ranges;
    }

    /** As Docker: a system user and group {@code dockremap}, and 65536 subordinate ids after every range in use. */
    private static void createDefaultUser(Path etc) throws IOException {
        if (names(etc.resolve("passwd"), DEFAULT_USER).size() == 1) {
            run("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/bin/false", DEFAULT_USER);
        }
        for (String kind : List.of("subuid", "subgid")) {
            Path file = etc.resolve(kind);
            if (!ranges(file, List.of(DEFAULT_USER)).isEmpty()) {
                continue;
            }
            long start = FIRST_SUBORDINATE_ID;
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.strip().split(":");
                    if (f.length == 3) {
                        start = Math.max(start, Long.parseLong(f[1]) + Long.parseLong(f[2]));
                    }
                }
            }
            String entry = DEFAULT_USER + ":" + start + ":" + RANGE_SIZE + "\n";
            Files.writeString(file, entry, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) {
                throw new IOException("Can't create ID mappings: " + String.join(" ", command) + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
