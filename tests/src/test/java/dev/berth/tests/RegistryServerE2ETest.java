package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth's registry server with real clients as separate processes: skopeo (needs the {@code skopeo} binary, which
 * setup.sh installs) pushes a busybox image, inspects it, copies it out and between repositories, lists and deletes
 * tags, over HTTP and over HTTPS with htpasswd authentication; curl checks the TLS certificate; the {@code berth}
 * launcher's {@code registry start|status|stop} runs it as a background service; the docker CLI's own registry client
 * ({@code docker manifest inspect|create|push}, no engine involved) reads from it and pushes a manifest list to it. No
 * berthd is involved. A Docker engine is not driven here: none is installed on these machines.
 */
@Tag("e2e")
class RegistryServerE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process p : servers) {
            p.destroy();
            p.waitFor();
        }
    }

    /** {@code berth registry serve ...} from the test class path; returns the port it listens on. */
    private int serve(Path root, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(Java.command());
        cmd.add("dev.berth.registry.server.RegistryMain");
        cmd.addAll(List.of("serve", "--addr", "127.0.0.1:0", "--root", root.toString()));
        cmd.addAll(List.of(flags));
        Files.createDirectories(root);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.log").toFile())).start();
        servers.add(p);
        return portOf(root, p);
    }

    private int portOf(Path root, Process p) throws Exception {
        Path pid = root.resolve("registry.pid");
        for (int i = 0; i < 200; i++) {
            if (Files.exists(pid)) {
                List<String> lines = Files.readAllLines(pid);
                if (lines.size() > 1) {
                    return Integer.parseInt(lines.get(1).substring(lines.get(1).lastIndexOf(':') + 1));
                }
            }
            if (p != null && !p.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the registry did not start: " + Files.readString(dir.resolve("serve.log")));
    }

    private static Cli.Result skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // never the machine's own credentials
        pb.environment().put("REGISTRY_AUTH_FILE", "/nonexistent/auth.json");
        Cli.Result r = Cli.run(pb, null);
        return r;
    }

    /** A docker-archive (what {@code docker save} writes) of the busybox root filesystem as one layer. */
    private Path busyboxArchive() throws Exception {
        Path img = Files.createDirectories(dir.resolve("img"));
        Files.copy(Images.busyboxTar(), img.resolve("layer.tar"));
        String diffId = "sha256:" + sha256(img.resolve("layer.tar"));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        String configName = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config)) + ".json";
        Files.write(img.resolve(configName), config);
        Files.writeString(img.resolve("manifest.json"), "[{\"Config\":\"" + configName
                + "\",\"RepoTags\":[\"busybox:latest\"],\"Layers\":[\"layer.tar\"]}]");
        Path archive = dir.resolve("busybox.tar");
        Cli.run(new ProcessBuilder("tar", "-C", img.toString(), "-cf", archive.toString(), "."), null).assertOk();
        return archive;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void skopeoPushesInspectsCopiesOutListsAndDeletes() throws Exception {
        Path root = dir.resolve("root");
        int port = serve(root);
        String reg = "127.0.0.1:" + port;
        Path archive = busyboxArchive();

        skopeo("copy", "--dest-tls-verify=false", "docker-archive:" + archive, "docker://" + reg + "/team/busybox:v1")
                .assertOk();

        JsonNode inspect = JSON.readTree(skopeo("inspect", "--tls-verify=false", "docker://" + reg + "/team/busybox:v1")
                .assertOk().stdout());
        assertThat(inspect.path("RepoTags").toString()).isEqualTo("[\"v1\"]");
        assertThat(inspect.path("Layers")).hasSize(1);
        assertThat(inspect.path("Os").asText()).isEqualTo("linux");
        JsonNode raw = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + reg + "/team/busybox:v1").assertOk().stdout());
        assertThat(raw.path("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");

        // out to a directory: every file is what its digest says, and the layer unpacks to the original tar
        Path out = dir.resolve("out");
        skopeo("copy", "--src-tls-verify=false", "docker://" + reg + "/team/busybox:v1", "dir:" + out).assertOk();
        JsonNode manifest = JSON.readTree(Files.readString(out.resolve("manifest.json")));
        String layerDigest = manifest.path("layers").get(0).path("digest").asText();
        Path layer = out.resolve(layerDigest.substring("sha256:".length()));
        assertThat("sha256:" + sha256(layer)).isEqualTo(layerDigest);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
            assertThat(sha256(in)).isEqualTo(sha256(Images.busyboxTar()));
        }

        // registry to registry, converted to OCI: the blobs are mounted from the first repository
        skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--format", "oci",
                "docker://" + reg + "/team/busybox:v1", "docker://" + reg + "/mirror/busybox:oci").assertOk();
        JsonNode oci = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + reg + "/mirror/busybox:oci").assertOk().stdout());
        assertThat(oci.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + reg + "/team/busybox:v1", "docker://" + reg + "/team/busybox:v2").assertOk();
        JsonNode tags = JSON.readTree(skopeo("list-tags", "--tls-verify=false", "docker://" + reg + "/team/busybox")
                .assertOk().stdout());
        assertThat(tags.path("Tags").toString()).isEqualTo("[\"v1\",\"v2\"]");

        skopeo("delete", "--tls-verify=false", "docker://" + reg + "/mirror/busybox:oci").assertOk();
        Cli.Result gone = skopeo("inspect", "--tls-verify=false", "docker://" + reg + "/mirror/busybox:oci");
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.stderr()).contains("manifest unknown");

        // garbage collection from another process while the server runs, then a full pull again
        List<String> gc = new ArrayList<>(Java.command());
        gc.addAll(List.of("dev.berth.registry.server.RegistryMain", "gc", "--root", root.toString(), "--grace", "0s"));
        assertThat(Cli.run(new ProcessBuilder(gc), null).assertOk().out()).startsWith("Deleted ");
        Path again = dir.resolve("again");
        skopeo("copy", "--src-tls-verify=false", "docker://" + reg + "/team/busybox:v2", "dir:" + again).assertOk();
        assertThat(sha256(again.resolve(layerDigest.substring("sha256:".length())))).isEqualTo(sha256(layer));
    }

    @Test
    void skopeoCopiesAMultiPlatformIndexInAndOut() throws Exception {
        int port = serve(dir.resolve("root"));
        String reg = "127.0.0.1:" + port;
        Path layout = Files.createDirectories(dir.resolve("layout/blobs/sha256"));
        String layer = blob(layout, Files.readAllBytes(Images.busyboxTar()));
        long layerSize = Files.size(Images.busyboxTar());
        StringBuilder entries = new StringBuilder();
        for (String arch : List.of("amd64", "arm64")) {
            byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                    + "\"diff_ids\":[\"sha256:" + layer + "\"]}}").getBytes(StandardCharsets.UTF_8);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                    + blob(layout, config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                    + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + layer + "\",\"size\":"
                    + layerSize + "}]}").getBytes(StandardCharsets.UTF_8);
            entries.append(entries.isEmpty() ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
                    .append("\"digest\":\"sha256:").append(blob(layout, manifest)).append("\",\"size\":")
                    .append(manifest.length).append(",\"platform\":{\"architecture\":\"").append(arch)
                    .append("\",\"os\":\"linux\"}}");
        }
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[" + entries + "]}").getBytes(StandardCharsets.UTF_8);
        String indexDigest = blob(layout, index);
        Files.writeString(dir.resolve("layout/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("layout/index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:" + indexDigest + "\",\"size\":"
                + index.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");

        skopeo("copy", "--all", "--dest-tls-verify=false", "oci:" + dir.resolve("layout") + ":v1",
                "docker://" + reg + "/multi/busybox:v1").assertOk();
        JsonNode raw = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + reg + "/multi/busybox:v1").assertOk().stdout());
        assertThat(raw.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(raw.path("manifests")).hasSize(2);
        for (String arch : List.of("amd64", "arm64")) {
            JsonNode one = JSON.readTree(skopeo("--override-arch", arch, "inspect", "--tls-verify=false",
                    "docker://" + reg + "/multi/busybox:v1").assertOk().stdout());
            assertThat(one.path("Architecture").asText()).isEqualTo(arch);
        }
        Path out = dir.resolve("arm");
        skopeo("--override-arch", "arm64", "copy", "--src-tls-verify=false", "docker://" + reg + "/multi/busybox:v1",
                "dir:" + out).assertOk();
        // skopeo compressed the layer on the way in: what comes out is that gzip, whole
        JsonNode manifest = JSON.readTree(Files.readString(out.resolve("manifest.json")));
        String pulled = manifest.path("layers").get(0).path("digest").asText().substring("sha256:".length());
        assertThat(sha256(out.resolve(pulled))).isEqualTo(pulled);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve(pulled)))) {
            assertThat(sha256(in)).isEqualTo(layer);
        }
    }

    /** Writes content into an OCI layout's blobs and returns its sha256 hex. */
    private static String blob(Path blobs, byte[] content) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Files.write(blobs.resolve(hex), content);
        return hex;
    }

    @Test
    void dockerCliRegistryClientInspectsCreatesAndPushesAManifestList() throws Exception {
        // `docker manifest` talks to registries itself, no engine needed
        int port = serve(dir.resolve("root"));
        String reg = "127.0.0.1:" + port;
        Path archive = busyboxArchive();
        skopeo("copy", "--dest-tls-verify=false", "docker-archive:" + archive, "docker://" + reg + "/one/busybox:v1")
                .assertOk();
        skopeo("copy", "--dest-tls-verify=false", "--format", "oci", "docker-archive:" + archive,
                "docker://" + reg + "/two/busybox:v1").assertOk();

        JsonNode single = JSON.readTree(docker("manifest", "inspect", "--insecure", reg + "/one/busybox:v1")
                .assertOk().stdout());
        assertThat(single.path("mediaType").asText()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");

        docker("manifest", "create", "--insecure", reg + "/one/busybox:list", reg + "/one/busybox:v1",
                reg + "/two/busybox:v1").assertOk();
        // the blobs of two/busybox are mounted into one/busybox, then the list is put
        Cli.Result push = docker("manifest", "push", "--insecure", reg + "/one/busybox:list").assertOk();
        String listDigest = push.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(listDigest).startsWith("sha256:");

        JsonNode list = JSON.readTree(docker("manifest", "inspect", "--insecure", reg + "/one/busybox:list")
                .assertOk().stdout());
        assertThat(list.path("manifests")).hasSize(2);
        JsonNode raw = JSON.readTree(skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + reg + "/one/busybox@" + listDigest).assertOk().stdout());
        assertThat(raw.path("manifests")).hasSize(2);
        Cli.Result missing = docker("manifest", "inspect", "--insecure", reg + "/one/busybox:nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).containsIgnoringCase("no such manifest");
    }

    private Cli.Result docker(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_CONFIG", Files.createDirectories(dir.resolve("docker-config")).toString());
        return Cli.run(pb, null);
    }

    @Test
    void httpsWithHtpasswdAuthentication() throws Exception {
        Path[] pem = selfSignedPem();
        // alice:secret, as `htpasswd -Bbn alice secret` writes it
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"),
                "alice:$2y$05$EN8ITbJHXBXDUf1r/fCCeOqT7sZzOXRXJ1b69MP1UsjaEU8IHhVaW\n");
        int port = serve(dir.resolve("root"), "--htpasswd", htpasswd.toString(),
                "--tls-cert", pem[0].toString(), "--tls-key", pem[1].toString());
        String reg = "127.0.0.1:" + port;

        // curl verifies the certificate against the PEM file the server was given
        Cli.Result curl = Cli.run(new ProcessBuilder("curl", "-sS", "--cacert", pem[0].toString(), "-u", "alice:secret",
                "-o", "/dev/null", "-w", "%{http_code} %{scheme}", "https://" + reg + "/v2/"), null).assertOk();
        assertThat(curl.out()).isEqualTo("200 HTTPS");
        Cli.Result anonymous = Cli.run(new ProcessBuilder("curl", "-sS", "--cacert", pem[0].toString(), "-D", "-",
                "https://" + reg + "/v2/"), null).assertOk();
        assertThat(anonymous.stdout()).contains("401").contains("Basic realm=\"Berth Registry\"")
                .contains("\"code\":\"UNAUTHORIZED\"");

        Path archive = busyboxArchive();
        Cli.Result refused = skopeo("copy", "--dest-cert-dir", pem[2].toString(), "--dest-creds", "alice:wrong",
                "docker-archive:" + archive, "docker://" + reg + "/secure/busybox:v1");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr().toLowerCase()).contains("unauthorized");

        skopeo("copy", "--dest-cert-dir", pem[2].toString(), "--dest-creds", "alice:secret",
                "docker-archive:" + archive, "docker://" + reg + "/secure/busybox:v1").assertOk();
        JsonNode inspect = JSON.readTree(skopeo("inspect", "--cert-dir", pem[2].toString(), "--creds", "alice:secret",
                "docker://" + reg + "/secure/busybox:v1").assertOk().stdout());
        assertThat(inspect.path("Layers")).hasSize(1);
        assertThat(skopeo("inspect", "--cert-dir", pem[2].toString(), "docker://" + reg + "/secure/busybox:v1")
                .exitCode()).isNotZero();
    }

    @Test
    void berthRegistryStartStatusStopThroughTheLauncher() throws Exception {
        // the launcher as setup.sh installs it, over this build's registry jars
        Path repo = Path.of(System.getProperty("user.dir")).getParent();
        Path lib = Files.createDirectories(dir.resolve("lib/registry"));
        try (Stream<Path> jars = Stream.concat(Files.list(repo.resolve("registry/target")),
                Files.list(repo.resolve("registry/target/lib")))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
            }
        }
        assertThat(lib.resolve("berth-registry-0.1.0-SNAPSHOT.jar")).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path berth = dir.resolve("berth");
        Files.writeString(berth, Files.readString(repo.resolve("bin/berth.in"))
                .replace("@JAVA@", java).replace("@LIB@", dir.resolve("lib").toString()));
        berth.toFile().setExecutable(true);
        Path root = dir.resolve("svc");

        Cli.Result start = Cli.run(new ProcessBuilder(berth.toString(), "registry", "start", "--addr", "127.0.0.1:0",
                "--root", root.toString()), null).assertOk();
        long pid = Long.parseLong(start.out());
        Cli.Result stop;
        try {
            int port = portOf(root, null);
            Cli.Result status = Cli.run(new ProcessBuilder(berth.toString(), "registry", "status", "--root",
                    root.toString()), null).assertOk();
            assertThat(status.out()).startsWith("running (pid " + pid + ", address 127.0.0.1:" + port);
            Cli.Result v2 = Cli.run(new ProcessBuilder("curl", "-sS", "-D", "-", "http://127.0.0.1:" + port + "/v2/"),
                    null).assertOk();
            assertThat(v2.stdout()).contains("200 OK").contains("Docker-Distribution-API-Version: registry/2.0");
            Cli.Result twice = Cli.run(new ProcessBuilder(berth.toString(), "registry", "start", "--addr",
                    "127.0.0.1:0", "--root", root.toString()), null);
            assertThat(twice.exitCode()).isEqualTo(1);
            assertThat(twice.stderr()).contains("a registry already runs on " + root + " (pid " + pid + ")");
        } finally {
            stop = Cli.run(new ProcessBuilder(berth.toString(), "registry", "stop", "--root", root.toString()), null);
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        }
        stop.assertOk();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Cli.Result stopped = Cli.run(new ProcessBuilder(berth.toString(), "registry", "status", "--root",
                root.toString()), null);
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.out()).startsWith("not running");
    }

    /** cert.pem, key.pem and a directory holding the certificate as skopeo's --cert-dir wants it (ca.crt). */
    private Path[] selfSignedPem() throws Exception {
        Path p12 = dir.resolve("ks.p12");
        Cli.run(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit"), null).assertOk();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        Key key = ks.getKey("registry", "changeit".toCharArray());
        String cert = pem("CERTIFICATE", ks.getCertificate("registry").getEncoded());
        Path certDir = Files.createDirectories(dir.resolve("certs"));
        Files.writeString(certDir.resolve("ca.crt"), cert);
        return new Path[] {Files.writeString(dir.resolve("cert.pem"), cert),
                Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded())), certDir};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
