package dev.berth.tests;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (distribution 2.8), started on a free loopback port with its storage in a temporary
 * directory, optionally behind htpasswd Basic authentication. Closing stops it.
 */
final class DistributionRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private DistributionRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry; with {@code user} and {@code password} not null, it asks for them (Basic). */
    static DistributionRegistry start(Path dir, String user, String password) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                + "    rootdirectory: " + dir.resolve("root") + "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:"
                + port + "\n");
        if (user != null) {
            Process h = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectErrorStream(true).start();
            String line = new String(h.getInputStream().readAllBytes()).strip();
            if (!h.waitFor(30, TimeUnit.SECONDS) || h.exitValue() != 0) {
                throw new IOException("htpasswd failed: " + line);
            }
            Files.writeString(dir.resolve("htpasswd"), line + "\n");
            config.append("auth:\n  htpasswd:\n    realm: test\n    path: ").append(dir.resolve("htpasswd")).append('\n');
        }
        Path file = dir.resolve("config.yml");
        Files.writeString(file, config);
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        DistributionRegistry r = new DistributionRegistry(p, port);
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                return r;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        r.close();
        throw new IOException("docker-registry did not answer on port " + port);
    }

    /** "127.0.0.1:PORT" */
    String host() {
        return "127.0.0.1:" + port;
    }

    /** Builds an OCI layout from a rootfs tar (contrib/oci-layout.py) and copies it in with skopeo as repo:tag. */
    void skopeoCopyIn(Path work, Path rootfs, String repoTag, int layers, String compression, String... creds)
            throws IOException, InterruptedException {
        Path layout = work.resolve("layout-" + repoTag.replace('/', '_').replace(':', '_') + "-" + compression);
        Path script = Path.of(System.getProperty("user.dir")).getParent().resolve("contrib/oci-layout.py");
        exec(List.of("python3", script.toString(), layout.toString(), rootfs.toString(), "--layers",
                String.valueOf(layers), "--compression", compression));
        List<String> cmd = new java.util.ArrayList<>(List.of("skopeo", "copy", "--dest-tls-verify=false"));
        if (creds.length == 2) {
            cmd.add("--dest-creds=" + creds[0] + ":" + creds[1]);
        }
        cmd.add("oci:" + layout + ":latest");
        cmd.add("docker://" + host() + "/" + repoTag);
        exec(cmd);
    }

    static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(cmd + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
