package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {
    private static List<Instruction> parse(String text) throws BuildException {
        return DockerfileParser.parse(text).instructions();
    }

    @Test
    void keywords_areCaseInsensitive_andCommentsAndBlankLinesSkipped() throws Exception {
        List<Instruction> in = parse("# a comment\n\nfrom busybox\n  Run echo hi\n# another\ncmd [\"sh\"]\n");
        assertThat(in).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "CMD");
        assertThat(in).extracting(Instruction::line).containsExactly(3, 4, 6);
        assertThat(in.get(1).args()).isEqualTo("echo hi");
    }

    @Test
    void continuations_joinLines_skippingCommentsAndEmptyLinesInside() throws Exception {
        List<Instruction> in = parse("FROM busybox\nRUN apt-get update -yq \\\n# inside\n\n   && apt-get install nano -yq\n");
        assertThat(in.get(1).args()).isEqualTo("apt-get update -yq    && apt-get install nano -yq");
        assertThat(in.get(1).line()).isEqualTo(2);
        assertThat(in.get(1).original()).isEqualTo("RUN apt-get update -yq    && apt-get install nano -yq");
    }

    @Test
    void escapeDirective_changesTheContinuationCharacter_andSyntaxIsAccepted() throws Exception {
        Dockerfile f = DockerfileParser.parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM busybox\nRUN echo a `\n  b\nCOPY c:\\dir\\ /x/\n");
        assertThat(f.escape()).isEqualTo('`');
        assertThat(f.instructions().get(1).args()).isEqualTo("echo a   b");
        assertThat(f.instructions().get(2).args()).isEqualTo("c:\\dir\\ /x/");
    }

    @Test
    void directives_afterAnInstructionAreComments() throws Exception {
        Dockerfile f = DockerfileParser.parse("FROM busybox\n# escape=`\nRUN echo \\\n ok\n");
        assertThat(f.escape()).isEqualTo('\\');
        assertThat(f.instructions().get(1).args()).isEqualTo("echo  ok");
    }

    @Test
    void badDirectives_areRejected() {
        assertThatThrownBy(() -> parse("# escape=x\nFROM busybox\n")).hasMessageContaining("invalid escape token");
        assertThatThrownBy(() -> parse("# escape=`\n# escape=`\nFROM busybox\n"))
                .hasMessage("dockerfile parse error on line 2: only one escape parser directive can be used");
    }

    @Test
    void execForm_isRecognised_andInvalidJsonFallsBackToShellForm() throws Exception {
        List<Instruction> in = parse("FROM busybox\nCMD [\"flask\", \"run\", \"--host=0.0.0.0\"]\nENTRYPOINT [ping]\n");
        assertThat(in.get(1).json()).containsExactly("flask", "run", "--host=0.0.0.0");
        assertThat(in.get(2).isJson()).isFalse();
        assertThat(in.get(2).args()).isEqualTo("[ping]");
    }

    @Test
    void flags_areParsed_forFromRunCopyAddHealthcheck() throws Exception {
        List<Instruction> in = parse("FROM --platform=linux/amd64 busybox AS base\n"
                + "COPY --from=base --chown=1:2 --chmod=644 /a /b\nADD --chown=app a.tar /x/\n"
                + "HEALTHCHECK --interval=5s --retries=3 CMD true\n");
        assertThat(in.get(0).flag("platform")).contains("linux/amd64");
        assertThat(in.get(0).args()).isEqualTo("busybox AS base");
        assertThat(in.get(1).flag("from")).contains("base");
        assertThat(in.get(1).flag("chown")).contains("1:2");
        assertThat(in.get(1).flag("chmod")).contains("644");
        assertThat(in.get(1).args()).isEqualTo("/a /b");
        assertThat(in.get(2).flag("chown")).contains("app");
        assertThat(in.get(3).flag("interval")).contains("5s");
        assertThat(in.get(3).args()).isEqualTo("CMD true");
    }

    @Test
    void unknownFlag_isAParseError() {
        assertThatThrownBy(() -> parse("FROM busybox\nCOPY --nope=1 a b\n"))
                .hasMessage("dockerfile parse error on line 2: unknown flag: nope");
    }

    @Test
    void unknownInstruction_namesItsLine() {
        assertThatThrownBy(() -> parse("FROM busybox\n\nENTRY POINT [\"sleep\"]\n"))
                .isInstanceOf(BuildException.class)
                .hasMessage("dockerfile parse error on line 3: unknown instruction: ENTRY");
    }

    @Test
    void heredocs_areReadUntilTheirDelimiter() throws Exception {
        List<Instruction> in = parse("FROM busybox\nRUN <<EOF\necho one\necho two\nEOF\nCOPY <<-\"END\" /etc/motd\n\thello $X\n\tEND\nCMD [\"sh\"]\n");
        assertThat(in).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "COPY", "CMD");
        Instruction.Heredoc run = in.get(1).heredocs().getFirst();
        assertThat(run.name()).isEqualTo("EOF");
        assertThat(run.content()).isEqualTo("echo one\necho two\n");
        assertThat(run.expand()).isTrue();
        Instruction.Heredoc copy = in.get(2).heredocs().getFirst();
        assertThat(copy.content()).isEqualTo("hello $X\n");
        assertThat(copy.expand()).isFalse();
    }

    @Test
    void unterminatedHeredoc_isAnError() {
        assertThatThrownBy(() -> parse("FROM busybox\nRUN <<EOF\necho\n")).hasMessageContaining("unterminated heredoc EOF");
    }

    @Test
    void argumentCounts_areCheckedAsDockerDoes() {
        assertThatThrownBy(() -> parse("FROM a b\n"))
                .hasMessage("dockerfile parse error on line 1: FROM requires either one or three arguments");
        assertThatThrownBy(() -> parse("FROM busybox\nCOPY onlyone\n"))
                .hasMessageContaining("COPY requires at least two arguments");
        assertThatThrownBy(() -> parse("FROM busybox\nARG a b\n"))
                .hasMessage("dockerfile parse error on line 2: ARG requires exactly one argument");
        assertThatThrownBy(() -> parse("FROM busybox\nSHELL /bin/bash -c\n"))
                .hasMessageContaining("SHELL requires the arguments to be in JSON form");
        assertThatThrownBy(() -> parse("FROM busybox\nENV\n"))
                .hasMessageContaining("ENV requires at least one argument");
        assertThatThrownBy(() -> parse("FROM busybox\nWORKDIR\n"))
                .hasMessageContaining("WORKDIR requires exactly one argument");
        assertThatThrownBy(() -> parse("FROM busybox\nONBUILD ONBUILD RUN x\n"))
                .hasMessageContaining("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        assertThatThrownBy(() -> parse("FROM busybox\nONBUILD FROM x\n"))
                .hasMessageContaining("FROM isn't allowed as an ONBUILD trigger");
    }

    @Test
    void everyInstruction_isKnown() throws Exception {
        List<Instruction> in = parse(String.join("\n", "ARG V=1", "FROM busybox:${V} AS b", "MAINTAINER me",
                "LABEL a=b", "ENV A=b", "WORKDIR /w", "USER 1000", "RUN true", "COPY a b", "ADD a b", "EXPOSE 80",
                "VOLUME /v", "ENTRYPOINT [\"sh\"]", "CMD [\"-c\"]", "HEALTHCHECK NONE", "ONBUILD RUN true",
                "STOPSIGNAL SIGKILL", "SHELL [\"/bin/sh\", \"-c\"]"));
        assertThat(in).extracting(Instruction::keyword).containsExactly("ARG", "FROM", "MAINTAINER", "LABEL", "ENV",
                "WORKDIR", "USER", "RUN", "COPY", "ADD", "EXPOSE", "VOLUME", "ENTRYPOINT", "CMD", "HEALTHCHECK",
                "ONBUILD", "STOPSIGNAL", "SHELL");
        Dockerfile f = DockerfileParser.parse(String.join("\n", "ARG V=1", "FROM a AS one", "RUN x", "FROM b", "CMD y"));
        assertThat(f.metaArgs()).hasSize(1);
        assertThat(f.stages()).hasSize(2);
        assertThat(f.stages().get(0).body()).extracting(Instruction::keyword).containsExactly("RUN");
        assertThat(f.stages().get(1).index()).isEqualTo(1);
    }
}
