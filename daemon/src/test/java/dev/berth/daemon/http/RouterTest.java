package dev.berth.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Route json = (ex, p) -> { };
    private final Route tag = (ex, p) -> { };
    private final Router router = new Router()
            .add("GET", "/images/json", (ex, p) -> { })
            .add("GET", "/images/{name}/json", json)
            .add("POST", "/images/{name}/tag", tag);

    @Test
    void greedyParameter_keepsSlashesColonsAndDecodesAt() {
        var m = router.match("GET", "/images/localhost:5000/team/app%40sha256:abc/json").orElseThrow();
        assertThat(m.route()).isSameAs(json);
        assertThat(m.params()).containsExactly("localhost:5000/team/app@sha256:abc");
    }

    @Test
    void fixedPathsWinWhenRegisteredFirst_andMethodsMatter() {
        assertThat(router.match("GET", "/images/json").orElseThrow().params()).isEqualTo(List.of());
        assertThat(router.match("POST", "/images/busybox/json")).isEmpty();
        assertThat(router.match("POST", "/images/busybox:latest/tag").orElseThrow().route()).isSameAs(tag);
        assertThat(router.match("GET", "/nothing")).isEmpty();
    }

    @Test
    void apiVersions_compareNumerically() {
        assertThat(ApiVersion.parse("1.9").lessThan(ApiVersion.parse("1.10"))).isTrue();
        assertThat(ApiVersion.parse("1.44")).isEqualTo(ApiVersion.MAX);
        assertThat(ApiVersion.parse("1.50").compareTo(ApiVersion.MAX)).isPositive();
    }
}
