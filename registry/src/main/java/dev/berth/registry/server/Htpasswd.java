package dev.berth.registry.server;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication against an htpasswd file of bcrypt entries ({@code htpasswd -Bbn user password}), as
 * distribution's {@code htpasswd} auth does. A bcrypt check costs milliseconds and clients send credentials with
 * every request, so credentials that passed are remembered (by their SHA-256, never in clear) until the file changes.
 */
final class Htpasswd {
    private final Path file;
    private final String realm;
    private volatile Map<String, String> entries = Map.of();
    private volatile long loadedMtime = -1;
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    Htpasswd(Path file, String realm) throws IOException {
        this.file = file;
        this.realm = realm;
        try {
            reload();
        } catch (IOException e) {
            throw new IOException("cannot read htpasswd file " + file + ": " + e, e);
        }
    }

    String realm() {
        return realm;
    }

    private void reload() throws IOException {
        long mtime = Files.getLastModifiedTime(file).toMillis();
        if (mtime == loadedMtime) {
            return;
        }
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line = line.trim();
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon <= 0) {
                continue;
            }
            m.put(line.substring(0, colon), line.substring(colon + 1));
        }
        entries = Map.copyOf(m);
        verified.clear();
        loadedMtime = mtime;
    }

    /** The user name if the Authorization header holds valid Basic credentials. */
    Optional<String> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            reload();
        } catch (IOException e) {
            // keep the entries loaded last
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        String key = Digest.sha256(decoded.getBytes(StandardCharsets.UTF_8)).hex();
        if (user.equals(verified.get(key))) {
            return Optional.of(user);
        }
        String hash = entries.get(user);
        if (hash == null || !Bcrypt.verify(decoded.substring(colon + 1), hash)) {
            return Optional.empty();
        }
        if (verified.size() > 1000) {
            verified.clear();
        }
        verified.put(key, user);
        return Optional.of(user);
    }
}
