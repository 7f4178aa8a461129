package dev.berth.engine.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class DetachKeysTest {
    private static final byte[] CTRL_P_Q = {16, 17};

    private static String copy(String input, ByteArrayOutputStream out) throws IOException {
        return DetachKeys.copy(new ByteArrayInputStream(input.getBytes()), out, CTRL_P_Q) ? "detached" : "eof";
    }

    @Test
    void copy_stopsAtTheSequenceAndForwardsWhatCameBefore() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(copy("ls\n\u0010\u0011echo never\n", out)).isEqualTo("detached");
        assertThat(out.toString()).isEqualTo("ls\n");
    }

    @Test
    void copy_passesAFalseStartOn() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(copy("a\u0010b\u0010\u0010\u0011", out)).isEqualTo("detached");
        assertThat(out.toString()).isEqualTo("a\u0010b\u0010");
    }

    @Test
    void copy_withoutTheSequenceCopiesEverything() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(copy("echo hi\n", out)).isEqualTo("eof");
        assertThat(out.toString()).isEqualTo("echo hi\n");
    }
}
