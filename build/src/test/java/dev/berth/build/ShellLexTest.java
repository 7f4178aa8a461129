package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellLexTest {
    private static final Map<String, String> ENV = Map.of("TYPE", "development", "EMPTY", "", "SP", "a b");

    private static String word(String s) throws BuildException {
        return ShellLex.word(s, ENV, '\\');
    }

    @Test
    void simpleAndBracedVariables() throws Exception {
        assertThat(word("branche-version-${TYPE}")).isEqualTo("branche-version-development");
        assertThat(word("$TYPE/x")).isEqualTo("development/x");
        assertThat(word("${UNSET}x$UNSET")).isEqualTo("x");
        assertThat(word("cost $")).isEqualTo("cost $");
    }

    @Test
    void modifiers_followDockersRules() throws Exception {
        assertThat(word("${UNSET:-dflt}")).isEqualTo("dflt");
        assertThat(word("${EMPTY:-dflt}")).isEqualTo("dflt");
        assertThat(word("${EMPTY-dflt}")).isEqualTo("");
        assertThat(word("${TYPE:-dflt}")).isEqualTo("development");
        assertThat(word("${TYPE:+set}")).isEqualTo("set");
        assertThat(word("${EMPTY:+set}")).isEqualTo("");
        assertThat(word("${EMPTY+set}")).isEqualTo("set");
        assertThat(word("${UNSET:+set}")).isEqualTo("");
        assertThat(word("${UNSET:-${TYPE}}")).isEqualTo("development");
        assertThatThrownBy(() -> word("${UNSET:?must be set}")).hasMessage("UNSET: must be set");
    }

    @Test
    void quotesAndEscapes() throws Exception {
        assertThat(word("'$TYPE'")).isEqualTo("$TYPE");
        assertThat(word("\"$TYPE is\"")).isEqualTo("development is");
        assertThat(word("\\$TYPE")).isEqualTo("$TYPE");
        assertThat(word("\"a \\\"q\\\"\"")).isEqualTo("a \"q\"");
        assertThat(ShellLex.word("`$TYPE", ENV, '`')).isEqualTo("$TYPE");
        assertThatThrownBy(() -> word("'open")).hasMessageContaining("single-quote");
    }

    @Test
    void words_splitOnUnquotedWhitespace_includingExpansions() throws Exception {
        assertThat(ShellLex.words("80 \"443 x\" $SP", ENV, '\\')).containsExactly("80", "443 x", "a", "b");
    }

    @Test
    void rawWords_keepQuotesForKeyValueParsing() {
        assertThat(ShellLex.rawWords("A=\"x y\" B=z\\ w C='q r'", '\\'))
                .containsExactly("A=\"x y\"", "B=z\\ w", "C='q r'");
    }
}
