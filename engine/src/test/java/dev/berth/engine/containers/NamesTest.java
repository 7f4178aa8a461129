package dev.berth.engine.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NamesTest {
    private final Names names = new Names(new Random(42));

    @Test
    void newId_is64LowercaseHex() {
        for (int i = 0; i < 100; i++) {
            assertThat(names.newId()).matches("[0-9a-f]{64}");
        }
    }

    @Test
    void newName_isAdjectiveUnderscoreSurname_andValid() {
        for (int i = 0; i < 100; i++) {
            String n = names.newName(0);
            assertThat(n).matches("[a-z]+_[a-z]+");
            assertThat(Names.VALID.matcher(n).matches()).isTrue();
        }
        assertThat(names.newName(7)).matches("[a-z]+_[a-z]+[0-9]");
    }

    @Test
    void valid_followsDockersRule() {
        assertThat(Names.VALID.matcher("web").matches()).isTrue();
        assertThat(Names.VALID.matcher("/web-1.a_b").matches()).isTrue();
        assertThat(Names.VALID.matcher("a").matches()).isFalse();
        assertThat(Names.VALID.matcher("-web").matches()).isFalse();
        assertThat(Names.VALID.matcher("we b").matches()).isFalse();
    }
}
