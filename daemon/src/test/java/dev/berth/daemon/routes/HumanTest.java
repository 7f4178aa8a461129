package dev.berth.daemon.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanTest {
    @Test
    void duration_matchesGoUnits() {
        assertThat(Human.duration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(Human.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Human.duration(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(Human.duration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(Human.duration(Duration.ofMinutes(45))).isEqualTo("45 minutes");
        assertThat(Human.duration(Duration.ofMinutes(70))).isEqualTo("About an hour");
        assertThat(Human.duration(Duration.ofHours(5))).isEqualTo("5 hours");
        assertThat(Human.duration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Human.duration(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(Human.duration(Duration.ofDays(100))).isEqualTo("3 months");
        assertThat(Human.duration(Duration.ofDays(800))).isEqualTo("2 years");
    }
}
