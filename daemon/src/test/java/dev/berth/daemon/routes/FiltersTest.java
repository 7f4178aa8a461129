package dev.berth.daemon.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiltersTest {
    @Test
    void parse_acceptsTheGoAndThePythonForms() {
        assertThat(Filters.parse("{\"label\":{\"a=b\":true},\"status\":{\"exited\":true}}"))
                .isEqualTo(Map.of("label", List.of("a=b"), "status", List.of("exited")));
        assertThat(Filters.parse("{\"label\":[\"a=b\",\"c\"]}")).isEqualTo(Map.of("label", List.of("a=b", "c")));
        assertThat(Filters.parse(null)).isEmpty();
    }

    @Test
    void parse_rejectsGarbage() {
        assertThatThrownBy(() -> Filters.parse("{nope")).isInstanceOf(EngineException.InvalidArgument.class);
    }

    @Test
    void labelMatches_keyOrKeyValue() {
        Map<String, String> labels = Map.of("a", "b");
        assertThat(Filters.labelMatches("a", labels)).isTrue();
        assertThat(Filters.labelMatches("a=b", labels)).isTrue();
        assertThat(Filters.labelMatches("a=c", labels)).isFalse();
        assertThat(Filters.labelMatches("x", labels)).isFalse();
    }

    @Test
    void unknownContainerFilter_isDockersError() {
        assertThatThrownBy(() -> ContainerFilters.parse("{\"bogus\":[\"x\"]}")).hasMessage("invalid filter 'bogus'");
        assertThatThrownBy(() -> ContainerFilters.parse("{\"status\":[\"sleeping\"]}"))
                .hasMessage("invalid filter 'status=sleeping'");
    }

    @Test
    void referenceMatches_familiarNamesAndGlobs() {
        assertThat(ImageRoutes.referenceMatches("busybox", "busybox:latest")).isTrue();
        assertThat(ImageRoutes.referenceMatches("busybox:latest", "busybox:latest")).isTrue();
        assertThat(ImageRoutes.referenceMatches("bus*", "busybox:latest")).isTrue();
        assertThat(ImageRoutes.referenceMatches("busybox:1", "busybox:latest")).isFalse();
    }
}
