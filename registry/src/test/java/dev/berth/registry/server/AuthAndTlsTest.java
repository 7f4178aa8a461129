package dev.berth.registry.server;

import static dev.berth.registry.server.RegistryClientForTests.errorCode;
import static dev.berth.registry.server.RegistryClientForTests.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** htpasswd Basic authentication and HTTPS with PEM files (made here with the JDK's keytool). */
class AuthAndTlsTest {
    @TempDir
    Path dir;

    /** alice:secret, as {@code htpasswd -Bbn alice secret} writes it. */
    static final String HTPASSWD = "alice:$2y$05$EN8ITbJHXBXDUf1r/fCCeOqT7sZzOXRXJ1b69MP1UsjaEU8IHhVaW\n";

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicAuthentication() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), HTPASSWD);
        java.util.List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RegistryServer server = RegistryServer.start(new RegistryServer.Options(
                new InetSocketAddress("127.0.0.1", 0), dir.resolve("root"), htpasswd, null, null, null,
                Duration.ofHours(1)), log::add)) {
            RegistryClientForTests c = new RegistryClientForTests("http://127.0.0.1:" + server.port(), null);
            HttpResponse<byte[]> anonymous = c.get("/v2/");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(header(anonymous, "WWW-Authenticate")).isEqualTo("Basic realm=\"Berth Registry\"");
            assertThat(errorCode(anonymous)).isEqualTo("UNAUTHORIZED");

            c.authorization = basic("alice", "wrong");
            assertThat(c.get("/v2/").statusCode()).isEqualTo(401);
            c.authorization = basic("mallory", "secret");
            assertThat(c.get("/v2/").statusCode()).isEqualTo(401);

            // a refused push stores nothing, and the connection serves the next request
            c.authorization = null;
            byte[] blob = "content".getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> refused = c.send("POST", "/v2/a/blobs/uploads/?digest=" + Digest.sha256(blob), blob);
            assertThat(refused.statusCode()).isEqualTo(401);
            try (var s = Files.list(dir.resolve("root/uploads"))) {
                assertThat(s.toList()).isEmpty();
            }

            c.authorization = basic("alice", "secret");
            assertThat(c.get("/v2/").statusCode()).isEqualTo(200);
            Digest d = c.pushBlob("a", blob);
            assertThat(c.get("/v2/a/blobs/" + d).body()).isEqualTo(blob);
            // the access log names who did what
            assertThat(log).anyMatch(l -> l.matches("127\\.0\\.0\\.1 - \"GET /v2/\" 401 \\d+ \\d+ms"))
                    .anyMatch(l -> l.matches("127\\.0\\.0\\.1 alice \"GET /v2/a/blobs/" + d + "\" 200 7 \\d+ms"));
        }
    }

    @Test
    void tlsWithPemCertificateAndKey() throws Exception {
        Path p12 = dir.resolve("ks.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("registry");
        Key key = ks.getKey("registry", "changeit".toCharArray());
        Path certPem = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
        Path keyPem = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("registry", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        try (RegistryServer server = RegistryServer.start(new RegistryServer.Options(
                new InetSocketAddress("127.0.0.1", 0), dir.resolve("root"), null, certPem, keyPem, null,
                Duration.ofHours(1)))) {
            RegistryClientForTests c = new RegistryClientForTests("https://127.0.0.1:" + server.port(), ssl);
            assertThat(c.get("/v2/").statusCode()).isEqualTo(200);
            byte[] blob = new byte[200_000];
            new java.util.Random(1).nextBytes(blob);
            Digest d = c.pushBlob("tls/repo", blob);
            assertThat(c.get("/v2/tls/repo/blobs/" + d).body()).isEqualTo(blob);

            // plain HTTP on the TLS port gets no registry answer
            RegistryClientForTests plain = new RegistryClientForTests("http://127.0.0.1:" + server.port(), null);
            boolean answered;
            try {
                answered = plain.get("/v2/").statusCode() == 200;
            } catch (RuntimeException e) {
                answered = false;
            }
            assertThat(answered).isFalse();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
