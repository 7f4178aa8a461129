package dev.berth.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI's credentials file, {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker/config.json}), read
 * and written in its format so berth and docker share logins: {@code auths} holds base64 "user:password" per registry,
 * unless {@code credHelpers} (per registry) or {@code credsStore} (for all) names a helper program
 * {@code docker-credential-<name>}, which then keeps them ({@code get}, {@code store}, {@code erase} on stdin).
 */
public final class DockerConfigFile {
    /** The key docker uses for Docker Hub. */
    public static final String DOCKER_HUB = "https://index.docker.io/v1/";

    private final ObjectMapper json;
    private final Path file;

    public DockerConfigFile(ObjectMapper json, Map<String, String> env) {
        this.json = json;
        String dir = env.get("DOCKER_CONFIG");
        this.file = (dir != null && !dir.isEmpty() ? Path.of(dir)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker")).resolve("config.json");
    }

    /** A user name and password (or identity token) for one registry. */
    public record Auth(String username, String password, String serverAddress) {}

    /** The key credentials are stored under for {@code host} ("docker.io" → Docker Hub's URL). */
    public static String key(String host) {
        return host.equals("docker.io") || host.equals("index.docker.io") ? DOCKER_HUB : host;
    }

    public Optional<Auth> get(String host) {
        String key = key(host);
        ObjectNode root = read();
        String helper = helper(root, key);
        if (helper != null) {
            String out = runHelper(helper, "get", key);
            if (out == null) {
                return Optional.empty();
            }
            try {
                JsonNode n = json.readTree(out);
                return Optional.of(new Auth(n.path("Username").asText(), n.path("Secret").asText(), key));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        JsonNode entry = root.path("auths").path(key);
        if (entry.isMissingNode() && key.equals(host)) {
            entry = root.path("auths").path("https://" + host); // written by old clients with a scheme
        }
        String auth = entry.path("auth").asText("");
        if (auth.isEmpty()) {
            return Optional.empty();
        }
        String pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new Auth(pair.substring(0, colon), pair.substring(colon + 1), key));
    }

    public void store(String host, String username, String password) {
        String key = key(host);
        ObjectNode root = read();
        String helper = helper(root, key);
        if (helper != null) {
            ObjectNode in = json.createObjectNode().put("ServerURL", key).put("Username", username).put("Secret", password);
            runHelper(helper, "store", in.toString());
            return;
        }
        root.withObjectProperty("auths").putObject(key).put("auth", Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        write(root);
    }

    /** Forgets the credentials of {@code host}; false when there were none. */
    public boolean erase(String host) {
        String key = key(host);
        ObjectNode root = read();
        String helper = helper(root, key);
        if (helper != null) {
            return runHelper(helper, "erase", key) != null;
        }
        JsonNode auths = root.path("auths");
        if (!auths.has(key)) {
            return false;
        }
        ((ObjectNode) auths).remove(key);
        write(root);
        return true;
    }

    /**
     * The X-Registry-Auth header for pulls and pushes to {@code host}: base64url JSON, or {@code e30=} ("{}") for none,
     * as the docker CLI sends.
     */
    public String header(String host) {
        Optional<Auth> auth = get(host);
        String body = auth.map(a -> json.createObjectNode().put("username", a.username()).put("password", a.password())
                .put("serveraddress", a.serverAddress()).toString()).orElse("{}");
        return Base64.getUrlEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String helper(ObjectNode root, String key) {
        String per = root.path("credHelpers").path(key).asText("");
        if (!per.isEmpty()) {
            return per;
        }
        String all = root.path("credsStore").asText("");
        return all.isEmpty() ? null : all;
    }

    /** Runs {@code docker-credential-<helper> <action>} with {@code input}; null when it reports no credentials. */
    private static String runHelper(String helper, String action, String input) {
        try {
            Process p = new ProcessBuilder("docker-credential-" + helper, action).start();
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CliException("error getting credentials - docker-credential-" + helper + " timed out", 1);
            }
            if (p.exitValue() != 0) {
                if (out.contains("credentials not found")) {
                    return null;
                }
                throw new CliException("error getting credentials - err: exit status " + p.exitValue() + ", out: `"
                        + out.strip() + "`", 1);
            }
            return out;
        } catch (IOException e) {
            throw new CliException("error getting credentials - err: exec: \"docker-credential-" + helper
                    + "\": executable file not found in $PATH, out: ``", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", 1);
        }
    }

    private ObjectNode read() {
        if (!Files.exists(file)) {
            return json.createObjectNode();
        }
        try {
            JsonNode n = json.readTree(file.toFile());
            return n instanceof ObjectNode o ? o : json.createObjectNode();
        } catch (IOException e) {
            throw new CliException("loading config file: " + file + ": " + e.getMessage(), 1);
        }
    }

    private void write(ObjectNode root) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "config.json", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException("error saving credentials: " + e.getMessage(), 1);
        }
    }
}
