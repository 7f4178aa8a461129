package dev.berth.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DockerIgnoreTest {
    @Test
    void plainPatterns_matchFromTheContextRoot_andExcludeWhatIsUnderADirectory() {
        DockerIgnore i = DockerIgnore.parse("# comment\n\n.git\n/secret.txt\nbuild/\n");
        assertThat(i.excludes(".git")).isTrue();
        assertThat(i.excludes(".git/config")).isTrue();
        assertThat(i.excludes("secret.txt")).isTrue();
        assertThat(i.excludes("sub/secret.txt")).isFalse();
        assertThat(i.excludes("build/out/x.o")).isTrue();
        assertThat(i.excludes("app.py")).isFalse();
    }

    @Test
    void starAndQuestionMark_stayWithinOnePathElement() {
        DockerIgnore i = DockerIgnore.parse("*.log\n*/temp*\nfile?.txt\n");
        assertThat(i.excludes("a.log")).isTrue();
        assertThat(i.excludes("dir/a.log")).isFalse();
        assertThat(i.excludes("somedir/temporary.txt")).isTrue();
        assertThat(i.excludes("somedir/sub/temporary.txt")).isFalse();
        assertThat(i.excludes("file1.txt")).isTrue();
        assertThat(i.excludes("file10.txt")).isFalse();
    }

    @Test
    void doubleStar_spansDirectories() {
        DockerIgnore i = DockerIgnore.parse("**/*.pyc\n**/node_modules\n");
        assertThat(i.excludes("a.pyc")).isTrue();
        assertThat(i.excludes("pkg/sub/a.pyc")).isTrue();
        assertThat(i.excludes("web/node_modules/x/y.js")).isTrue();
        assertThat(i.excludes("a.py")).isFalse();
    }

    @Test
    void exceptions_reincludeFiles_evenInSubdirectories_andTheLastMatchWins() {
        DockerIgnore i = DockerIgnore.parse("*.md\n!README.md\ndocs\n!docs/keep/**\n");
        assertThat(i.excludes("CHANGES.md")).isTrue();
        assertThat(i.excludes("README.md")).isFalse();
        assertThat(i.excludes("docs/a.txt")).isTrue();
        assertThat(i.excludes("docs/keep/a.txt")).isFalse();
        assertThat(i.hasExceptions()).isTrue();
        DockerIgnore later = DockerIgnore.parse("!README.md\n*.md\n");
        assertThat(later.excludes("README.md")).isTrue();
    }

    @Test
    void pathsAreCleaned_andCharacterClassesWork() {
        DockerIgnore i = DockerIgnore.parse("./a/../b\n[0-9]*.tmp\n");
        assertThat(i.excludes("b")).isTrue();
        assertThat(i.excludes("7x.tmp")).isTrue();
        assertThat(i.excludes("x7.tmp")).isFalse();
        assertThat(DockerIgnore.parse("").excludes("anything")).isFalse();
    }
}
