package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedOutputTest {
    @Test
    void laterStages_areHeldUntilEveryEarlierStageHasFinished() {
        StringBuilder shown = new StringBuilder();
        OrderedOutput ordered = new OrderedOutput(new BuildOutput() {
            @Override
            public void stream(String text) {
                shown.append(text);
            }

            @Override
            public void imageId(String id) {
            }
        }, List.of(0, 2, 3));
        BuildOutput zero = ordered.forStage(0);
        BuildOutput two = ordered.forStage(2);
        BuildOutput three = ordered.forStage(3);
        three.stream("3a ");
        zero.stream("0a ");
        two.stream("2a ");
        assertThat(shown).hasToString("0a ");
        ordered.finished(3);
        assertThat(shown).hasToString("0a ");
        zero.stream("0b ");
        ordered.finished(0);
        assertThat(shown).hasToString("0a 0b 2a ");
        two.stream("2b ");
        ordered.finished(2);
        assertThat(shown).hasToString("0a 0b 2a 2b 3a ");
    }
}
