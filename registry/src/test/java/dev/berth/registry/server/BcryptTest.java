package dev.berth.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hashes written by Apache's {@code htpasswd -B} (bcrypt $2y$), at several costs. */
class BcryptTest {
    @Test
    void verifiesHashesWrittenByHtpasswd() {
        assertThat(Bcrypt.verify("secret", "$2y$05$EN8ITbJHXBXDUf1r/fCCeOqT7sZzOXRXJ1b69MP1UsjaEU8IHhVaW")).isTrue();
        assertThat(Bcrypt.verify("pässwörd 4", "$2y$04$wP6t2nyDORBG5GWFCpngCOffdi.JFWcZlmV3NDYTMlsTAfip2O1aG"))
                .isTrue();
        assertThat(Bcrypt.verify("pässwörd 10", "$2y$10$bp511lgvxSNe0uxg2lkksO76iXPiggDsgFnpHGT0QOc8BF9v6BPdq"))
                .isTrue();
        assertThat(Bcrypt.verify("", "$2y$05$FyxO7kaybplRLHcdLWJcp.mJoE73F6RHNKMtqUJAVJk6TNXqAYjc.")).isTrue();
    }

    @Test
    void refusesWrongPasswordsAndMalformedHashes() {
        assertThat(Bcrypt.verify("Secret", "$2y$05$EN8ITbJHXBXDUf1r/fCCeOqT7sZzOXRXJ1b69MP1UsjaEU8IHhVaW")).isFalse();
        assertThat(Bcrypt.verify("pässwörd 5", "$2y$04$wP6t2nyDORBG5GWFCpngCOffdi.JFWcZlmV3NDYTMlsTAfip2O1aG"))
                .isFalse();
        assertThat(Bcrypt.verify("secret", "$apr1$abc$def")).isFalse();
        assertThat(Bcrypt.verify("secret", "$2y$99$EN8ITbJHXBXDUf1r/fCCeOqT7sZzOXRXJ1b69MP1UsjaEU8IHhVaW")).isFalse();
        assertThat(Bcrypt.verify("secret", "$2y$05$!!8ITbJHXBXDUf1r/fCCeOqT7sZzOXRXJ1b69MP1UsjaEU8IHhVaW")).isFalse();
    }
}
