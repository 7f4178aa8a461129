package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TabWriterTest {
    private static String write(TabWriter tw, StringBuilder out, String text) {
        tw.write(text);
        tw.flush();
        return out.toString();
    }

    private static String docker(String text) {
        StringBuilder out = new StringBuilder();
        return write(TabWriter.forTables(out), out, text);
    }

    @Test
    void dockerTablePadsColumnsToMinWidthTenPlusThree() {
        // Output of `docker context ls --format 'table {{.Name}}\t{{.Description}}\t{{.DockerEndpoint}}'`.
        assertThat(docker("NAME\tDESCRIPTION\tDOCKER ENDPOINT\n"
            + "default\tCurrent DOCKER_HOST based configuration\tunix:///var/run/docker.sock\n"))
            .isEqualTo("NAME      DESCRIPTION                               DOCKER ENDPOINT\n"
                + "default   Current DOCKER_HOST based configuration   unix:///var/run/docker.sock\n");
    }

    @Test
    void wideCharactersCountTwoColumns() {
        // Output of `docker context ls --format 'table {{.Name}}\t{{"ab"}}\t{{"é日本"}}\tend'`.
        assertThat(docker("NAME\tab\té日本\tend\ndefault\tab\té日本\tend\n"))
            .isEqualTo("NAME      ab        é日本     end\ndefault   ab        é日本     end\n");
    }

    @Test
    void emptyCellsArePaddedAndTrailingCellIsNotAColumn() {
        assertThat(docker("a\t\tb\nlonger-than-ten\t\tc\n"))
            .isEqualTo("a                           b\nlonger-than-ten             c\n");
    }

    @Test
    void columnBlocksAreAlignedIndependently() {
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, 0, 8, 1, '.', 0);
        assertThat(write(tw, out, "a\tb\nccc\td\n\neeeee\tf\n"))
            .isEqualTo("a...b\nccc.d\n\neeeee.f\n");
    }

    @Test
    void goTabwriterMinWidthAndPadChar() {
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, 8, 0, 1, '.', 0);
        assertThat(write(tw, out, "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n"))
            .isEqualTo("a.......b.......c\naa......bbb.....cccc\naaa.....bbbb\n");
    }

    @Test
    void tabPaddingRoundsToTabWidth() {
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, 0, 8, 1, '\t', 0);
        assertThat(write(tw, out, "a\tb\tc\naa\tbbb\tcccc\naaaaaaaaa\td\n"))
            .isEqualTo("a\t\tb\tc\naa\t\tbbb\tcccc\naaaaaaaaa\td\n");
    }

    @Test
    void alignRightPadsBeforeText() {
        StringBuilder out = new StringBuilder();
        TabWriter tw = new TabWriter(out, 0, 0, 1, ' ', TabWriter.ALIGN_RIGHT);
        assertThat(write(tw, out, "a\tbbb\t\nccc\td\t\n")).isEqualTo("   a bbb\n ccc   d\n");
    }

    @Test
    void textWithoutNewlineIsWrittenOnFlush() {
        assertThat(docker("x\ty")).isEqualTo("x         y");
    }

    @Test
    void writesMayBeSplitAnywhere() {
        StringBuilder out = new StringBuilder();
        TabWriter tw = TabWriter.forTables(out);
        tw.write("NA").write("ME\tST").write("ATUS\nweb\tUp 3 sec").write("onds\n");
        tw.flush();
        assertThat(out).hasToString("NAME      STATUS\nweb       Up 3 seconds\n");
    }
}
