package dev.berth.engine.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One listener's view of the {@link EventBus}: the past events it asked for, then live ones in order. Read from one
 * thread; {@link #close} from any.
 */
public final class Subscription implements AutoCloseable {
    /** Live events a reader may fall behind by before it is dropped. */
    static final int CAPACITY = 4096;

    private final List<Event> past;
    private final EventFilter filter;
    private final Consumer<Subscription> onClose;
    /** One slot more than the events it holds, for the wake-up that {@link #close} adds. */
    private final BlockingQueue<Event> live = new ArrayBlockingQueue<>(CAPACITY + 1);
    private volatile boolean dropped;
    private volatile boolean closed;
    /** Put in the queue by {@link #close} to wake a waiting reader; never handed out. */
    private static final Event END = new Event("", "", "", java.util.Map.of(), java.time.Instant.EPOCH);

    Subscription(List<Event> past, EventFilter filter, Consumer<Subscription> onClose) {
        this.past = List.copyOf(past);
        this.filter = filter;
        this.onClose = onClose;
    }

    /** The recent events that matched {@code since}/{@code until} when the subscription began, oldest first. */
    public List<Event> past() {
        return past;
    }

    /** Called by the bus under its lock, so offers arrive in publication order. */
    void offer(Event e) {
        if (dropped || closed || !filter.matches(e)) {
            return;
        }
        if (live.size() >= CAPACITY || !live.offer(e)) {
            dropped = true; // too slow a reader: its stream ends rather than the engine waiting for it
            close();
        }
    }

    /** The next live event, waiting at most {@code timeout}; null when none came in time or it was closed. */
    public Event next(Duration timeout) throws InterruptedException {
        if (closed && live.isEmpty()) {
            return null;
        }
        Event e = live.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return e == END ? null : e;
    }

    /** Whether the bus gave up on this reader (it fell too far behind); what was queued can still be read. */
    public boolean dropped() {
        return dropped;
    }

    /** Stops delivery and wakes a reader waiting in {@link #next}. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.accept(this);
            live.offer(END);
        }
    }
}
