package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    @Test
    void sha256_ofKnownContent() {
        assertThat(Digest.sha256("hello".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    }

    @Test
    void parse_roundTrips() {
        String s = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        assertThat(Digest.parse(s).toString()).isEqualTo(s);
        assertThat(Digest.parse(s).hex()).hasSize(64);
    }

    @Test
    void parse_rejectsBadHexAndUnknownAlgorithms() {
        assertThatThrownBy(() -> Digest.parse("sha256:ABC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Digest.parse("nocolon")).isInstanceOf(IllegalArgumentException.class);
    }
}
