package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0B", "1, 1B", "999, 999B", "1000, 1kB", "1024, 1.024kB", "1500, 1.5kB", "1000000, 1MB",
        "1048576, 1.049MB", "3420000000, 3.42GB", "5372000000000, 5.372TB", "2220000000000000, 2.22PB",
        "1e21, 1ZB", "1e28, 1e+04YB", "999999, 1000kB"})
    void humanSize(double size, String expected) {
        assertThat(Units.humanSize(size)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "1500, 1.5kB", "4270000, 4.27MB", "4275000, 4.28MB", "7812, 7.81kB", "999500, 1e+03kB",
        "72800000, 72.8MB", "187000000, 187MB"})
    void humanSizeWithPrecisionThree(double size, String expected) {
        assertThat(Units.humanSizeWithPrecision(size, 3)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "1023, 1023B", "1024, 1KiB", "1536, 1.5KiB", "1048576, 1MiB", "12582912, 12MiB",
        "3672286822, 3.42GiB", "5906412929000, 5.372TiB"})
    void bytesSize(double size, String expected) {
        assertThat(Units.bytesSize(size)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"32, 32", "32b, 32", "32B, 32", "32k, 32768", "32K, 32768", "32kb, 32768", "32Kib, 32768",
        "32KIB, 32768", "512m, 536870912", "32mb, 33554432", "1g, 1073741824", "1.5GB, 1610612736",
        "1t, 1099511627776", "1p, 1125899906842624", "'32 m', 33554432", "0.5k, 512", "'1 ', 1", "1e3, 1000"})
    void ramInBytes(String size, long expected) {
        assertThat(Units.ramInBytes(size)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1x, invalid suffix: 'x'", "1.5x, invalid suffix: 'x'", "x, invalid size: 'x'",
        "1kbb, invalid suffix: 'kbb'", "-1, invalid size: '-1'", "'', invalid size: ''",
        "1mbb, invalid suffix: 'mbb'", "1ki, invalid suffix: 'ki'", "1KIBB, invalid suffix: 'KIBB'",
        "1kB2, 'strconv.ParseFloat: parsing \"1kB2\": invalid syntax'",
        "1mb2x, 'strconv.ParseFloat: parsing \"1mb2\": invalid syntax'",
        "1.2.3, 'strconv.ParseFloat: parsing \"1.2.3\": invalid syntax'",
        "' 1', 'strconv.ParseFloat: parsing \" 1\": invalid syntax'"})
    void ramInBytesRejects(String size, String message) {
        assertThatThrownBy(() -> Units.ramInBytes(size)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }
}
