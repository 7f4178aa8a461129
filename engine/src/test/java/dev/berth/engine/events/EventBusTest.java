package dev.berth.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bus: replay by since/until from the recent ring, live delivery in order, filters, dropping slow readers. */
class EventBusTest {
    private static Event at(long second, String type, String action, String id, Map<String, String> attributes) {
        return new Event(type, action, id, attributes, Instant.ofEpochSecond(second));
    }

    private static EventFilter filter(Map<String, List<String>> f) {
        return new EventFilter(f);
    }

    @Test
    void subscribe_replaysRecentEventsBetweenSinceAndUntil_thenDeliversLiveOnes() throws Exception {
        EventBus bus = new EventBus(Clock.fixed(Instant.ofEpochSecond(100), ZoneOffset.UTC));
        for (int s = 1; s <= 5; s++) {
            bus.publish(at(s, "container", "start", "c" + s, Map.of()));
        }
        try (Subscription sub = bus.subscribe(Instant.ofEpochSecond(2), Instant.ofEpochSecond(4), EventFilter.all())) {
            assertThat(sub.past()).extracting(Event::actorId).containsExactly("c2", "c3", "c4");
            bus.emit("container", "die", "c9", Map.of("exitCode", "1"));
            Event live = sub.next(Duration.ofSeconds(1));
            assertThat(live.actorId()).isEqualTo("c9");
            assertThat(live.timeNano()).isEqualTo(100_000_000_000L);
        }
        try (Subscription none = bus.subscribe(null, null, EventFilter.all())) {
            assertThat(none.past()).isEmpty();
            assertThat(bus.listeners()).isEqualTo(1);
        }
        assertThat(bus.listeners()).isZero();
    }

    @Test
    void theRingKeepsOnlyTheMostRecentEvents() {
        EventBus bus = new EventBus(Clock.systemUTC());
        for (int i = 0; i < EventBus.RECENT + 10; i++) {
            bus.publish(at(i, "container", "start", "c" + i, Map.of()));
        }
        try (Subscription sub = bus.subscribe(Instant.EPOCH, null, EventFilter.all())) {
            assertThat(sub.past()).hasSize(EventBus.RECENT);
            assertThat(sub.past().getFirst().actorId()).isEqualTo("c10");
        }
    }

    @Test
    void close_wakesAWaitingReader_andASlowReaderIsDropped() throws Exception {
        EventBus bus = new EventBus(Clock.systemUTC());
        Subscription sub = bus.subscribe(null, null, EventFilter.all());
        Thread closer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sub.close();
        });
        long t0 = System.nanoTime();
        assertThat(sub.next(Duration.ofSeconds(30))).isNull();
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(5).toNanos());
        closer.join();

        Subscription slow = bus.subscribe(null, null, EventFilter.all());
        for (int i = 0; i <= Subscription.CAPACITY; i++) {
            bus.emit("container", "start", "c", Map.of());
        }
        assertThat(slow.dropped()).isTrue();
        assertThat(bus.listeners()).isZero();
    }

    @Test
    void filter_followsDockersRules() {
        Event die = at(1, "container", "die", "abcdef123456", Map.of("name", "web", "image", "busybox:latest",
                "exitCode", "3", "team", "blue"));
        Event health = at(1, "container", "health_status: healthy", "abcdef123456", Map.of("name", "web", "image", "busybox"));
        Event tag = at(1, "image", "tag", "sha256:aaaa", Map.of("name", "busybox:latest"));

        assertThat(filter(Map.of("type", List.of("container"))).matches(die)).isTrue();
        assertThat(filter(Map.of("type", List.of("container"))).matches(tag)).isFalse();
        assertThat(filter(Map.of("event", List.of("die", "start"))).matches(die)).isTrue();
        assertThat(filter(Map.of("event", List.of("di"))).matches(die)).isFalse();
        assertThat(filter(Map.of("event", List.of("health_status"))).matches(health)).isTrue();
        assertThat(filter(Map.of("event", List.of("health_status: unhealthy"))).matches(health)).isFalse();
        assertThat(filter(Map.of("container", List.of("web"))).matches(die)).isTrue();
        assertThat(filter(Map.of("container", List.of("abcdef"))).matches(die)).isTrue();
        assertThat(filter(Map.of("container", List.of("db"))).matches(die)).isFalse();
        assertThat(filter(Map.of("container", List.of("web"))).matches(tag)).isFalse();
        assertThat(filter(Map.of("image", List.of("busybox"))).matches(die)).isTrue();
        assertThat(filter(Map.of("image", List.of("busybox:latest"))).matches(tag)).isTrue();
        assertThat(filter(Map.of("image", List.of("alpine"))).matches(die)).isFalse();
        assertThat(filter(Map.of("label", List.of("team=blue"))).matches(die)).isTrue();
        assertThat(filter(Map.of("label", List.of("team"))).matches(die)).isTrue();
        assertThat(filter(Map.of("label", List.of("team=blue", "tier"))).matches(die)).isFalse();
        assertThat(filter(Map.of("scope", List.of("swarm"))).matches(die)).isFalse();
        assertThat(filter(Map.of("type", List.of("container"), "event", List.of("die"), "container", List.of("web")))
                .matches(die)).isTrue();
    }
}
