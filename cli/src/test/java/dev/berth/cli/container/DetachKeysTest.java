package dev.berth.cli.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DetachKeysTest {
    @Test
    void defaultSequence_isCtrlPCtrlQ() {
        DetachKeys keys = DetachKeys.parse(null);
        assertThat(keys.feed(new byte[] {'a', 16}, 0, 2)).isFalse();
        assertThat(keys.feed(new byte[] {17}, 0, 1)).isTrue();
    }

    @Test
    void interruptedSequence_doesNotDetach() {
        DetachKeys keys = DetachKeys.parse("ctrl-p,ctrl-q");
        assertThat(keys.feed(new byte[] {16, 'x', 17}, 0, 3)).isFalse();
    }

    @Test
    void customSequence_mixesControlAndPlainKeys() {
        DetachKeys keys = DetachKeys.parse("ctrl-a,x");
        assertThat(keys.feed(new byte[] {1, 'x'}, 0, 2)).isTrue();
    }

    @Test
    void unknownKey_isRejected() {
        assertThatThrownBy(() -> DetachKeys.parse("ctrl-1")).hasMessage("Unknown character: 'ctrl-1'");
    }
}
