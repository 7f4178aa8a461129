package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileLintTest {
    private static List<String> rules(String dockerfile) throws BuildException {
        return DockerfileLint.check(DockerfileParser.parse(dockerfile)).stream()
                .map(w -> w.rule() + "@" + w.line()).toList();
    }

    @Test
    void theSeedsSeparateAptRuns_andTheirLeakedSecret_areReported() throws Exception {
        assertThat(rules("FROM docker.io/debian:bullseye-slim\nRUN apt update -qq\nRUN apt install -qq -y wget\n"
                + "RUN apt clean\nRUN rm -rf /var/lib/apt/lists/*\n"))
                .containsExactly("AptUpdateAlone@2", "AptListsNotCleaned@3", "NoUser@1");
        assertThat(rules("FROM docker.io/debian:bullseye-slim\nRUN echo \"monsecret\" > toto.txt\nRUN rm toto.txt\n"))
                .containsExactly("SecretDeletedInLaterLayer@3", "NoUser@1");
    }

    @Test
    void theGoodPractices_passClean() throws Exception {
        assertThat(rules("FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y wget"
                + " && rm -rf /var/lib/apt/lists/*\nFROM build\nCOPY app.tar.gz /\nADD app.tar.gz /opt/\n"
                + "USER app\n")).isEmpty();
    }

    @Test
    void untaggedOrLatestBases_addOfPlainFiles_secretsAndRoot() throws Exception {
        assertThat(rules("ARG API_TOKEN=x\nFROM python\nFROM nginx:latest\nADD app.py /\nENV DB_PASSWORD=x\n"
                + "USER root\n")).containsExactly("SecretInArgOrEnv@1", "FromLatestOrUntagged@2",
                "FromLatestOrUntagged@3", "AddWhereCopyFits@4", "SecretInArgOrEnv@5", "NoUser@3");
        assertThat(rules("FROM scratch\nUSER 1000\n")).isEmpty();
        assertThat(rules("FROM localhost:5000/app@sha256:" + "a".repeat(64) + "\nUSER 1\n")).isEmpty();
    }
}
