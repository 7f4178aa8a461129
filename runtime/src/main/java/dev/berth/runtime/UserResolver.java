package dev.berth.runtime;

import dev.berth.runtime.ContainerSpec.ProcessUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves Docker's {@code --user} forms ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}, empty for root)
 * against the image's /etc/passwd and /etc/group, with runc's rules (libcontainer/user {@code GetExecUser}), which Docker
 * uses: a numeric user is a uid even if a user has that name; a uid without a passwd entry is allowed; supplementary groups
 * come from /etc/group only when no group is given explicitly. The files are read inside the root filesystem without
 * following symlinks out of it, and a missing file counts as empty.
 */
public final class UserResolver {
    /** The largest id Docker accepts (runc's maxID, 2^31 - 1). */
    private static final long MAX_ID = Integer.MAX_VALUE;
    /** /etc/passwd and /etc/group of an image are small; a bigger file is not read at all. */
    private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private UserResolver() {}

    /** The user resolved from the image: ids for the OCI process and the home directory (for HOME). */
    public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {
        public ResolvedUser {
            additionalGids = List.copyOf(additionalGids);
        }

        public ProcessUser processUser() {
            return new ProcessUser(uid, gid, additionalGids);
        }
    }

    private record PasswdEntry(String name, int uid, int gid, String home) {}

    private record GroupEntry(String name, int gid, List<String> members) {}

    public static ResolvedUser resolve(Path rootfs, String userSpec) throws UserLookupException {
        String spec = userSpec == null ? "" : userSpec;
        int colon = spec.indexOf(':');
        String userArg = colon < 0 ? spec : spec.substring(0, colon);
        String groupArg = colon < 0 ? "" : spec.substring(colon + 1);
        Optional<Integer> uidArg = parseId(userArg);
        Optional<Integer> gidArg = parseId(groupArg);

        List<PasswdEntry> passwd = passwd(read(rootfs, "/etc/passwd"));
        Optional<PasswdEntry> match = passwd.stream()
                .filter(u -> userArg.isEmpty() ? u.uid() == 0 : uidArg.map(id -> id == u.uid()).orElse(u.name().equals(userArg)))
                .findFirst();
        int uid = 0;
        int gid = 0;
        String home = "/";
        String matchedName = "";
        if (match.isPresent()) {
            uid = match.get().uid();
            gid = match.get().gid();
            home = match.get().home();
            matchedName = match.get().name();
        } else if (!userArg.isEmpty()) {
            uid = uidArg.orElseThrow(() -> new UserLookupException(
                    "unable to find user " + userArg + ": no matching entries in passwd file"));
        }

        List<Integer> additional = new ArrayList<>();
        if (!groupArg.isEmpty() || !matchedName.isEmpty()) {
            List<GroupEntry> groups = groups(read(rootfs, "/etc/group"));
            if (!groupArg.isEmpty()) {
                Optional<GroupEntry> group = groups.stream()
                        .filter(g -> gidArg.map(id -> id == g.gid()).orElse(g.name().equals(groupArg)))
                        .findFirst();
                if (group.isPresent()) {
                    gid = group.get().gid();
                } else {
                    gid = gidArg.orElseThrow(() -> new UserLookupException(
                            "unable to find group " + groupArg + ": no matching entries in group file"));
                }
            } else {
                String name = matchedName;
                groups.stream().filter(g -> g.members().contains(name)).forEach(g -> additional.add(g.gid()));
            }
        }
        return new ResolvedUser(uid, gid, additional, home);
    }

    /** The gids of {@code --group-add} entries: numbers, or names looked up in the image's /etc/group. */
    public static List<Integer> groupIds(Path rootfs, List<String> names) throws UserLookupException {
        List<Integer> out = new ArrayList<>();
        if (names == null || names.isEmpty()) {
            return out;
        }
        List<GroupEntry> groups = groups(read(rootfs, "/etc/group"));
        for (String name : names) {
            Optional<Integer> id = parseId(name);
            if (id.isPresent()) {
                out.add(id.get());
                continue;
            }
            out.add(groups.stream().filter(g -> g.name().equals(name)).findFirst().map(GroupEntry::gid)
                    .orElseThrow(() -> new UserLookupException("Unable to find group " + name
                            + ": no matching entries in group file")));
        }
        return out;
    }

    private static Optional<Integer> parseId(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(text);
            return value <= MAX_ID ? Optional.of((int) value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<String> read(Path rootfs, String file) {
        try {
            Path path = ScopedPath.resolve(rootfs, file);
            if (!ScopedPath.isRegularFile(path) || Files.size(path) > MAX_FILE_BYTES) {
                return List.of();
            }
            return List.of(new String(Files.readAllBytes(path), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " in " + rootfs + ": " + e.getMessage(), e);
        }
    }

    /** Lines {@code name:password:uid:gid:gecos:home:shell}; malformed lines are skipped, as libcontainer does. */
    private static List<PasswdEntry> passwd(List<String> lines) {
        List<PasswdEntry> result = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.strip().split(":", -1);
            if (line.isBlank() || line.startsWith("#") || f.length < 4) {
                continue;
            }
            Optional<Integer> uid = parseId(f[2]);
            Optional<Integer> gid = parseId(f[3]);
            if (uid.isPresent() && gid.isPresent()) {
                result.add(new PasswdEntry(f[0], uid.get(), gid.get(), f.length > 5 && !f[5].isEmpty() ? f[5] : "/"));
            }
        }
        return result;
    }

    /** Lines {@code name:password:gid:member,member}. */
    private static List<GroupEntry> groups(List<String> lines) {
        List<GroupEntry> result = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.strip().split(":", -1);
            if (line.isBlank() || line.startsWith("#") || f.length < 3) {
                continue;
            }
            Optional<Integer> gid = parseId(f[2]);
            List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
            gid.ifPresent(id -> result.add(new GroupEntry(f[0], id, members)));
        }
        return result;
    }
}
