package dev.berth.engine.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import dev.berth.runtime.LogPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogDriversTest {
    @Test
    void parseSize_isGoUnits() {
        assertThat(LogDrivers.parseSize("10m", false)).isEqualTo(10_000_000);
        assertThat(LogDrivers.parseSize("10MB", false)).isEqualTo(10_000_000);
        assertThat(LogDrivers.parseSize("1.5k", false)).isEqualTo(1500);
        assertThat(LogDrivers.parseSize("512", false)).isEqualTo(512);
        assertThat(LogDrivers.parseSize("2 g", false)).isEqualTo(2_000_000_000L);
        assertThat(LogDrivers.parseSize("20m", true)).isEqualTo(20L * 1024 * 1024);
        for (String bad : List.of("abc", "-1", "10x", "", "m")) {
            assertThatThrownBy(() -> LogDrivers.parseSize(bad, false)).hasMessage("invalid size: '" + bad + "'");
        }
    }

    @Test
    void resolve_mergesTheContainersOptionsOverTheDaemonsOverTheRotatingDefault() {
        LogDrivers.Config c = LogDrivers.resolve(null, Map.of("max-file", "2"), "json-file", Map.of("compress", "true"));
        assertThat(c.driver()).isEqualTo("json-file");
        assertThat(c.options()).isEqualTo(Map.of("max-file", "2", "max-size", "10m", "compress", "true"));
        // another driver than the daemon's takes none of the daemon's options
        assertThat(LogDrivers.resolve("local", Map.of(), "json-file", Map.of("max-size", "1m")).options()).isEmpty();
        assertThat(LogDrivers.resolve("none", null, "json-file", Map.of()).options()).isEmpty();
    }

    @Test
    void resolve_rejectsWhatDockerRejects() {
        assertThatThrownBy(() -> LogDrivers.resolve("syslog2", Map.of(), "json-file", Map.of()))
                .isInstanceOf(EngineException.InvalidArgument.class)
                .hasMessage("logger: no log driver named 'syslog2' is registered");
        assertThatThrownBy(() -> LogDrivers.resolve(null, Map.of("colour", "red"), "json-file", Map.of()))
                .hasMessage("unknown log opt 'colour' for json-file log driver");
        assertThatThrownBy(() -> LogDrivers.resolve("local", Map.of("labels", "a"), "json-file", Map.of()))
                .hasMessage("unknown log opt 'labels' for log driver local");
        assertThatThrownBy(() -> LogDrivers.resolve(null, Map.of("max-size", "0"), "json-file", Map.of()))
                .hasMessage("failed to initialize logging driver: max-size must be a positive number");
        assertThatThrownBy(() -> LogDrivers.resolve(null, Map.of("max-file", "0"), "json-file", Map.of()))
                .hasMessage("failed to initialize logging driver: max-file cannot be less than 1");
        assertThatThrownBy(() -> LogDrivers.resolve(null, Map.of("compress", "yes"), "json-file", Map.of()))
                .hasMessage("failed to initialize logging driver: strconv.ParseBool: parsing \"yes\": invalid syntax");
        assertThatThrownBy(() -> LogDrivers.resolve(null, Map.of("compress", "true", "max-file", "1"), "json-file", Map.of()))
                .hasMessage("failed to initialize logging driver: "
                        + "compress cannot be true when max-file is less than 2 or max-size is not set");
    }

    @Test
    void policy_isWhatConmonAndTheRotationNeed() {
        assertThat(LogDrivers.policy("json-file", Map.of("max-size", "10m", "max-file", "5")))
                .isEqualTo(new LogPolicy(true, 10_000_000, 5, false));
        assertThat(LogDrivers.policy("local", Map.of())).isEqualTo(new LogPolicy(true, 20L * 1024 * 1024, 5, true));
        assertThat(LogDrivers.policy("none", Map.of())).isEqualTo(LogPolicy.NONE);
        // records from before log drivers rotate too
        assertThat(LogDrivers.policy("k8s-file", null)).isEqualTo(new LogPolicy(true, 10_000_000, 5, false));
    }

    @Test
    void attributes_areSortedQueryEscapedPairs() {
        assertThat(LogDrivers.attributes(Map.of("labels", "app,missing", "env", "MODE"), Map.of("app", "web shop"),
                List.of("MODE=fast", "OTHER=x"))).isEqualTo("MODE=fast,app=web+shop");
        assertThat(LogDrivers.attributes(Map.of("env-regex", "^O"), Map.of(), List.of("OTHER=x"))).isEqualTo("OTHER=x");
        assertThat(LogDrivers.attributes(Map.of(), Map.of("a", "b"), List.of())).isEmpty();
    }
}
