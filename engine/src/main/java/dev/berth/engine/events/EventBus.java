package dev.berth.engine.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's events: services {@link #emit} what happens, in one line; {@code GET /events} clients
 * {@link #subscribe}. The last {@link #RECENT} events are kept in memory for {@code --since} (as Docker, which keeps
 * 256, nothing is kept across daemon restarts).
 *
 * <p>Emitting never blocks on subscribers: each has a bounded queue that its own reader drains; a reader that falls
 * {@link Subscription#CAPACITY} events behind is dropped (its stream ends) rather than slow the engine down. No thread
 * is spent per subscriber beyond the reader's own.
 */
public final class EventBus {
    /** How many past events {@code since} can reach back to. */
    public static final int RECENT = 1024;

    private final Clock clock;
    private final ArrayDeque<Event> recent = new ArrayDeque<>();
    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();

    public EventBus(Clock clock) {
        this.clock = clock;
    }

    /** Records an event that happens now and hands it to every subscriber. */
    public void emit(String type, String action, String actorId, Map<String, String> attributes) {
        publish(new Event(type, action, actorId, attributes, clock.instant()));
    }

    /**
     * Records an event. Events are kept in publication order; the lock makes a subscription's replay and its live
     * events meet without a gap or a duplicate.
     */
    public synchronized void publish(Event e) {
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.addLast(e);
        for (Subscription s : subscribers) {
            s.offer(e);
        }
    }

    /**
     * Subscribes to the events {@code filter} accepts. With {@code since} or {@code until}, the recent events between
     * them (either may be null for "unbounded") come first in {@link Subscription#past()}; live events follow through
     * {@link Subscription#next}. Close the subscription when done.
     */
    public synchronized Subscription subscribe(Instant since, Instant until, EventFilter filter) {
        List<Event> past = new ArrayList<>();
        if (since != null || until != null) {
            for (Event e : recent) {
                if ((since == null || !e.time().isBefore(since)) && (until == null || !e.time().isAfter(until))
                        && filter.matches(e)) {
                    past.add(e);
                }
            }
        }
        Subscription s = new Subscription(past, filter, subscribers::remove);
        subscribers.add(s);
        return s;
    }

    /** How many clients are listening (the {@code NEventsListener} of {@code /info}). */
    public int listeners() {
        return subscribers.size();
    }
}
