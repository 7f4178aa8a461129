package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
    private static final String HEX = "7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";
    private static final String DIGEST = "sha256:" + HEX;

    @ParameterizedTest
    @CsvSource({
        // input,                          domain,          path,              tag
        "busybox,                          docker.io,       library/busybox,   latest",
        "busybox:1.36,                     docker.io,       library/busybox,   1.36",
        "user/app,                         docker.io,       user/app,          latest",
        "docker.io/busybox,                docker.io,       library/busybox,   latest",
        "index.docker.io/x,                docker.io,       library/x,         latest",
        "index.docker.io/user/x:v2,        docker.io,       user/x,            v2",
        "localhost:5000/team/app:v1,       localhost:5000,  team/app,          v1",
        "localhost/app,                    localhost,       app,               latest",
        "example.com/app,                  example.com,     app,               latest",
        "127.0.0.1:5000/a/b/c,             127.0.0.1:5000,  a/b/c,             latest",
        "[::1]:5000/app,                   [::1]:5000,      app,               latest",
        "Registry/app,                     Registry,        app,               latest",
        "a.b/c__d-e--f.g_h:Tag_1.x-y,      a.b,             c__d-e--f.g_h,     Tag_1.x-y",
    })
    void parse_normalises(String input, String domain, String path, String tag) {
        Reference ref = Reference.parse(input);
        assertThat(ref.domain()).isEqualTo(domain);
        assertThat(ref.path()).isEqualTo(path);
        assertThat(ref.name()).isEqualTo(domain + "/" + path);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digest()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        // input,                          toString,                                familiar,                     familiarName
        "busybox,                          docker.io/library/busybox:latest,        busybox:latest,               busybox",
        "user/app:v1,                      docker.io/user/app:v1,                   user/app:v1,                  user/app",
        "localhost:5000/team/app:v1,       localhost:5000/team/app:v1,              localhost:5000/team/app:v1,   localhost:5000/team/app",
        "docker.io/library/a/b,            docker.io/library/a/b:latest,            library/a/b:latest,           library/a/b",
        "quay.io/library/x,                quay.io/library/x:latest,                quay.io/library/x:latest,     quay.io/library/x",
    })
    void stringForms(String input, String full, String familiar, String familiarName) {
        Reference ref = Reference.parse(input);
        assertThat(ref.toString()).isEqualTo(full);
        assertThat(ref.familiar()).isEqualTo(familiar);
        assertThat(ref.familiarName()).isEqualTo(familiarName);
        // Both forms parse back to the same reference.
        assertThat(Reference.parse(full)).isEqualTo(ref);
        assertThat(Reference.parse(familiar)).isEqualTo(ref);
    }

    @Test
    void digestOnly_hasNoDefaultTag() {
        Reference ref = Reference.parse("busybox@" + DIGEST);
        assertThat(ref.tag()).isNull();
        assertThat(ref.digest()).isEqualTo(Digest.parse(DIGEST));
        assertThat(ref.toString()).isEqualTo("docker.io/library/busybox@" + DIGEST);
        assertThat(ref.familiar()).isEqualTo("busybox@" + DIGEST);
    }

    @Test
    void tagAndDigest_keepsBoth() {
        Reference ref = Reference.parse("localhost:5000/app:v1@" + DIGEST);
        assertThat(ref.domain()).isEqualTo("localhost:5000");
        assertThat(ref.tag()).isEqualTo("v1");
        assertThat(ref.digest().hex()).isEqualTo(HEX);
        assertThat(ref.toString()).isEqualTo("localhost:5000/app:v1@" + DIGEST);
        assertThat(ref.familiar()).isEqualTo("localhost:5000/app:v1@" + DIGEST);
    }

    @Test
    void withTag_replacesTagAndKeepsDigest() {
        Reference ref = Reference.parse("busybox@" + DIGEST).withTag("1.36");
        assertThat(ref.toString()).isEqualTo("docker.io/library/busybox:1.36@" + DIGEST);
        assertThat(Reference.parse("busybox").withTag("v2").familiar()).isEqualTo("busybox:v2");
    }

    @Test
    void withTag_validatesTag() {
        Reference ref = Reference.parse("busybox");
        assertThatThrownBy(() -> ref.withTag("-bad")).hasMessage("invalid tag format");
        assertThatThrownBy(() -> ref.withTag("a/b")).hasMessage("invalid tag format");
        assertThatThrownBy(() -> ref.withTag("")).hasMessage("invalid tag format");
        assertThatThrownBy(() -> ref.withTag("x".repeat(129))).hasMessage("invalid tag format");
        assertThat(ref.withTag("x".repeat(128)).tag()).hasSize(128);
    }

    @Test
    void withoutDigest_fallsBackToDefaultTag() {
        assertThat(Reference.parse("busybox:1.36@" + DIGEST).withoutDigest().familiar()).isEqualTo("busybox:1.36");
        assertThat(Reference.parse("busybox@" + DIGEST).withoutDigest().familiar()).isEqualTo("busybox:latest");
    }

    @Test
    void equalsByValue() {
        assertThat(Reference.parse("busybox")).isEqualTo(Reference.parse("docker.io/library/busybox:latest"))
                .hasSameHashCodeAs(Reference.parse("index.docker.io/busybox"));
        assertThat(Reference.parse("busybox")).isNotEqualTo(Reference.parse("busybox:1"));
    }

    @Test
    void uppercaseName_isRejectedWithTheRemoteName() {
        assertThatThrownBy(() -> Reference.parse("Busybox"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid reference format: repository name (library/Busybox) must be lowercase");
        assertThatThrownBy(() -> Reference.parse("user/App:v1"))
                .hasMessage("invalid reference format: repository name (user/App) must be lowercase");
        assertThatThrownBy(() -> Reference.parse("localhost:5000/Team/app"))
                .hasMessage("invalid reference format: repository name (Team/app) must be lowercase");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:", ":tag", "a//b", "-a", "a-", "a/b-", "a/", "/a", "a@", "a:b:c", "a b",
        "a@sha256:abc", "a_b.c/app", "busybox\n"})
    void invalidFormat(String input) {
        assertThatThrownBy(() -> Reference.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid reference format");
    }

    @Test
    void upper_isAnInvalidReferenceFormat() {
        assertThatThrownBy(() -> Reference.parse("UPPER"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid reference format")
                .hasMessage("invalid reference format: repository name (library/UPPER) must be lowercase");
    }

    @Test
    void tagTooLong_isAnInvalidReferenceFormat() {
        assertThat(Reference.parse("busybox:" + "t".repeat(128)).tag()).hasSize(128);
        assertThatThrownBy(() -> Reference.parse("busybox:" + "t".repeat(129)))
                .hasMessage("invalid reference format");
    }

    @Test
    void hexIdentifier_isNotAName() {
        assertThatThrownBy(() -> Reference.parse(HEX))
                .hasMessage("invalid repository name (" + HEX + "), cannot specify 64-byte hexadecimal strings");
        // With a tag it is no longer a bare ID, so Docker accepts it as a name.
        assertThat(Reference.parse(HEX + ":v1").path()).isEqualTo("library/" + HEX);
    }

    @Test
    void pathLongerThan255_isRejected() {
        assertThat(Reference.parse("a/" + "b".repeat(253)).path()).hasSize(255);
        assertThatThrownBy(() -> Reference.parse("a/" + "b".repeat(254)))
                .hasMessage("repository name must not be more than 255 characters");
        // The implicit "library/" counts, as in Docker.
        assertThatThrownBy(() -> Reference.parse("b".repeat(248)))
                .hasMessage("repository name must not be more than 255 characters");
    }

    @Test
    void badDigest_isRejectedByDigest() {
        assertThatThrownBy(() -> Reference.parse("busybox@md5:d41d8cd98f00b204e9800998ecf8427e"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported digest algorithm");
        assertThatThrownBy(() -> Reference.parse("busybox@sha256:" + HEX.substring(1)))
                .hasMessageContaining("invalid checksum digest format");
    }
}
