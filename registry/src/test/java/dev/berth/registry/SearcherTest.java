package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearcherTest {
    @Test
    void term_startingWithARegistryHost_searchesThatRegistryForTheRest() {
        assertThat(Searcher.Term.of("localhost:5000/team/app")).isEqualTo(new Searcher.Term("localhost:5000", "team/app"));
        assertThat(Searcher.Term.of("localhost/app")).isEqualTo(new Searcher.Term("localhost", "app"));
        assertThat(Searcher.Term.of("registry.example.com/app")).isEqualTo(
                new Searcher.Term("registry.example.com", "app"));
    }

    @Test
    void term_withoutAHost_searchesDockerHub() {
        assertThat(Searcher.Term.of("nginx")).isEqualTo(new Searcher.Term("docker.io", "nginx"));
        assertThat(Searcher.Term.of("bitnami/nginx")).isEqualTo(new Searcher.Term("docker.io", "bitnami/nginx"));
    }
}
