package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    @ParameterizedTest
    @CsvSource({
        "PT0S, Less than a second", "PT0.9S, Less than a second", "PT1S, 1 second", "PT5S, 5 seconds",
        "PT59S, 59 seconds", "PT60S, About a minute", "PT1M59S, About a minute", "PT3M, 3 minutes",
        "PT59M, 59 minutes", "PT60M, About an hour", "PT1H29M, About an hour", "PT1H30M, 2 hours",
        "PT47H, 47 hours", "PT48H, 2 days", "P13D, 13 days", "P14D, 2 weeks", "P59D, 8 weeks",
        "P60D, 2 months", "P120D, 4 months", "P729D, 24 months", "P730D, 2 years", "P1100D, 3 years"})
    void humanDuration(String iso, String expected) {
        assertThat(Durations.humanDuration(Duration.parse(iso))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10s, PT10S", "1h30m, PT1H30M", "1.5h, PT1H30M", "300ms, PT0.3S", "-10m, PT-10M", "0, PT0S",
        "1us, PT0.000001S", "2h45m30.5s, PT2H45M30.5S", ".5s, PT0.5S"})
    void parseDuration(String value, String expected) {
        assertThat(Durations.parseDuration(value)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"10, time: missing unit in duration \"10\"", "10x, time: unknown unit \"x\" in duration \"10x\"",
        "'', time: invalid duration \"\"", "s, time: invalid duration \"s\"", "1..2s, time: invalid duration \"1..2s\""})
    void parseDurationRejects(String value, String message) {
        assertThatThrownBy(() -> Durations.parseDuration(value)).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({
        "10s, 1714564790", "10m, 1714564200", "1h30m, 1714559400",
        "2024-01-02, 1704153600.000000000",
        "2024-01-02T10, 1704189600.000000000",
        "2024-01-02T10:30, 1704191400.000000000",
        "2024-01-02T10:30:15, 1704191415.000000000",
        "2024-01-02T10:30:15Z, 1704191415.000000000",
        "2024-01-02T10:30:15+01:00, 1704187815.000000000",
        "2024-01-02T10:30:15.5Z, 1704191415.500000000",
        "2024-01-02T10:30:15.123456789-02:00, 1704198615.123456789",
        "1700000000, 1700000000", "1700000000.123, 1700000000.123", "0, 0"})
    void timestampInUtc(String value, String expected) {
        assertThat(Durations.timestamp(value, NOW, ZoneOffset.UTC)).isEqualTo(expected);
    }

    @Test
    void timestampWithoutZoneUsesTheLocalOffset() {
        assertThat(Durations.timestamp("2024-01-02T10:00:00", NOW, ZoneId.of("+02:00")))
            .isEqualTo("1704182400.000000000");
    }

    @Test
    void timestampRejectsGarbage() {
        assertThatThrownBy(() -> Durations.timestamp("yesterday", NOW, ZoneOffset.UTC))
            .hasMessage("failed to parse value as time or duration: \"yesterday\"");
        assertThatThrownBy(() -> Durations.timestamp("2024-13-45", NOW, ZoneOffset.UTC))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("parsing time \"2024-13-45\"");
    }
}
