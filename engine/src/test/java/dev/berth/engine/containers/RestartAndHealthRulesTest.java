package dev.berth.engine.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Docker's restart back-off and policy decisions, and the health state machine, without containers. */
class RestartAndHealthRulesTest {
    @Test
    void backoff_startsAt100ms_doubles_capsAtAMinute_andResetsAfterTenSecondsOfRunning() {
        Backoff b = new Backoff();
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            delays.add(b.next(Duration.ofMillis(50)).toMillis());
        }
        assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 12800L, 25600L, 51200L, 60000L, 60000L);
        assertThat(b.next(Duration.ofSeconds(10)).toMillis()).isEqualTo(100);
        assertThat(b.next(Duration.ofSeconds(3)).toMillis()).isEqualTo(200);
    }

    @Test
    void policies_decideLikeDockersRestartManager() {
        RestartPolicy no = new RestartPolicy("no", 0);
        RestartPolicy always = new RestartPolicy("always", 0);
        RestartPolicy unless = new RestartPolicy("unless-stopped", 0);
        RestartPolicy onFailure2 = new RestartPolicy("on-failure", 2);
        RestartPolicy onFailure = new RestartPolicy("on-failure", 0);
        assertThat(no.restartsAfterExit(1, false, 0)).isFalse();
        assertThat(always.restartsAfterExit(0, false, 50)).isTrue();
        assertThat(always.restartsAfterExit(0, true, 0)).isFalse();
        assertThat(unless.restartsAfterExit(0, true, 0)).isFalse();
        assertThat(onFailure2.restartsAfterExit(0, false, 0)).isFalse();
        assertThat(onFailure2.restartsAfterExit(1, false, 1)).isTrue();
        assertThat(onFailure2.restartsAfterExit(1, false, 2)).isFalse();
        assertThat(onFailure.restartsAfterExit(1, false, 1000)).isTrue();
        // when the daemon starts, only "always" forgets the user's stop
        assertThat(always.restartsOnDaemonStart(0, true, 0)).isTrue();
        assertThat(unless.restartsOnDaemonStart(0, true, 0)).isFalse();
        assertThat(unless.restartsOnDaemonStart(255, false, 0)).isTrue();
    }

    private static Health.Result result(Instant start, int code) {
        return new Health.Result(start, start.plusMillis(5), code, "out" + code);
    }

    @Test
    void health_becomesHealthyOnSuccess_unhealthyAfterRetriesFailures_andKeepsFiveResults() {
        Instant started = Instant.parse("2026-01-01T00:00:00Z");
        Health h = Health.starting();
        h = h.after(result(started.plusSeconds(1), 1), started, Duration.ZERO, 3);
        assertThat(h.status()).isEqualTo("starting");
        assertThat(h.failingStreak()).isEqualTo(1);
        h = h.after(result(started.plusSeconds(2), 0), started, Duration.ZERO, 3);
        assertThat(h.status()).isEqualTo("healthy");
        assertThat(h.failingStreak()).isZero();
        for (int i = 0; i < 2; i++) {
            h = h.after(result(started.plusSeconds(3 + i), 1), started, Duration.ZERO, 3);
            assertThat(h.status()).isEqualTo("healthy");
        }
        h = h.after(result(started.plusSeconds(6), 1), started, Duration.ZERO, 3);
        assertThat(h.status()).isEqualTo("unhealthy");
        assertThat(h.failingStreak()).isEqualTo(3);
        assertThat(h.log()).hasSize(5);
        assertThat(h.log().getLast().start()).isEqualTo(started.plusSeconds(6));
    }

    @Test
    void health_failuresInTheStartPeriodDoNotCount_whileStarting() {
        Instant started = Instant.parse("2026-01-01T00:00:00Z");
        Health h = Health.starting();
        for (int i = 1; i <= 5; i++) {
            h = h.after(result(started.plusSeconds(i), 1), started, Duration.ofSeconds(10), 1);
        }
        assertThat(h.status()).isEqualTo("starting");
        assertThat(h.failingStreak()).isZero();
        h = h.after(result(started.plusSeconds(11), 1), started, Duration.ofSeconds(10), 1);
        assertThat(h.status()).isEqualTo("unhealthy");
    }

    @Test
    void healthcheck_mergesWithTheImages_andKnowsItsProbe() {
        Healthcheck image = new Healthcheck(List.of("CMD-SHELL", "test -f /ok"), 1_000_000_000L, 0, 0, 0, 5);
        Healthcheck container = new Healthcheck(List.of(), 500_000_000L, 0, 0, 0, 0);
        Healthcheck merged = Healthcheck.merge(container, image);
        assertThat(merged.test()).containsExactly("CMD-SHELL", "test -f /ok");
        assertThat(merged.interval()).isEqualTo(500_000_000L);
        assertThat(merged.retries()).isEqualTo(5);
        assertThat(merged.probeCommand()).containsExactly("/bin/sh", "-c", "test -f /ok");
        assertThat(new Healthcheck(List.of("CMD", "cat", "/ok"), 0, 0, 0, 0, 0).probeCommand()).containsExactly("cat", "/ok");
        assertThat(new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0).probeCommand()).isNull();
        assertThat(HealthMonitor.goString(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(HealthMonitor.goString(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(HealthMonitor.goString(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(HealthMonitor.goString(Duration.ofMillis(1500))).isEqualTo("1.5s");
    }
}
