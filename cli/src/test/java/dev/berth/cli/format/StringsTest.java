package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StringsTest {
    @ParameterizedTest
    @CsvSource({"abcde, 6, abcde", "abcde, 5, abcde", "abcde, 4, abc…", "abcde, 2, a…", "abcde, 1, a",
        "abcde, 0, ''", "'', 3, ''", "你好世界, 8, 你好世界", "你好世界, 7, 你好世…", "你好世界, 6, 你好…",
        "你好世界, 3, 你…", "héllo wörld, 7, héllo …"})
    void ellipsis(String s, int width, String expected) {
        assertThat(Strings.ellipsis(s, width)).isEqualTo(expected);
    }

    @Test
    void psCommandIsTruncatedThenQuoted() {
        assertThat(Strings.psCommand("nginx -g 'daemon off;'", true)).isEqualTo("\"nginx -g 'daemon of…\"");
        assertThat(Strings.psCommand("/docker-entrypoint.sh nginx -g 'daemon off;'", true))
            .isEqualTo("\"/docker-entrypoint.…\"");
        assertThat(Strings.psCommand("nginx -g 'daemon off;'", false)).isEqualTo("\"nginx -g 'daemon off;'\"");
        assertThat(Strings.psCommand("sh -c \"echo hi\"", true)).isEqualTo("\"sh -c \\\"echo hi\\\"\"");
    }

    @Test
    void truncateIdDropsAlgorithmAndKeepsTwelve() {
        assertThat(Strings.truncateId("sha256:3aa5f018d45a0123456789")).isEqualTo("3aa5f018d45a");
        assertThat(Strings.truncateId("3aa5f018d45a0123456789")).isEqualTo("3aa5f018d45a");
        assertThat(Strings.truncateId("abc")).isEqualTo("abc");
    }
}
