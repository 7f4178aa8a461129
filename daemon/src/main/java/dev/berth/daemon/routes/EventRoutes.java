package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.events.Event;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.events.EventFilter;
import dev.berth.engine.events.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;

/**
 * {@code GET /events?since=&until=&filters=}: the recent events asked for, then live ones as they happen, one JSON
 * object per line, each flushed at once; the stream ends at {@code until}, or when the client goes away.
 */
public final class EventRoutes {
    /** Long enough to stand for "no end": the subscription wakes up on events and on close, not on this. */
    private static final Duration FOREVER = Duration.ofDays(3650);

    private final EventBus events;

    public EventRoutes(EventBus events) {
        this.events = events;
    }

    public void register(Router r) {
        r.add("GET", "/events", (ex, p) -> stream(ex));
    }

    private void stream(Exchange ex) throws IOException, InterruptedException {
        Instant since = time(ex.query("since"));
        Instant until = time(ex.query("until"));
        if (since != null && until != null && until.isBefore(since)) {
            throw new EngineException.InvalidArgument("`since` time (" + ex.query("since")
                    + ") cannot be after `until` time (" + ex.query("until") + ")");
        }
        EventFilter filter = new EventFilter(Filters.parse(ex.query("filters")));
        try (Subscription sub = events.subscribe(since, until, filter);
                OutputStream out = ex.stream(200, "application/json")) {
            ex.onClose(sub::close);
            for (Event e : sub.past()) {
                write(out, e);
            }
            while (true) {
                Duration left = until == null ? FOREVER : Duration.between(Instant.now(), until);
                if (left.isNegative() || left.isZero()) {
                    return;
                }
                Event e = sub.next(left);
                if (e == null) {
                    return; // until reached, client gone, or too slow a reader
                }
                write(out, e);
            }
        }
    }

    private static Instant time(String value) {
        try {
            return Times.parseUnix(value);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("failed to parse value as time or duration: \"" + value + "\"");
        }
    }

    private static void write(OutputStream out, Event e) throws IOException {
        out.write(Responses.JSON.writeValueAsBytes(message(e)));
        out.write('\n');
    }

    /**
     * Docker's events.Message: the legacy {@code status}, {@code id} and {@code from} first (container events; image
     * events without {@code from}), which docker-compose 1.29 still reads, then the current fields.
     */
    static ObjectNode message(Event e) {
        ObjectNode m = Responses.JSON.createObjectNode();
        if (e.type().equals("container") || e.type().equals("image")) {
            m.put("status", e.action()).put("id", e.actorId());
            String from = e.attributes().get("image");
            if (e.type().equals("container") && from != null) {
                m.put("from", from);
            }
        }
        m.put("Type", e.type()).put("Action", e.action());
        ObjectNode actor = m.putObject("Actor").put("ID", e.actorId());
        ObjectNode attributes = actor.putObject("Attributes");
        new TreeMap<>(e.attributes()).forEach(attributes::put);
        m.put("scope", Event.SCOPE).put("time", e.time().getEpochSecond()).put("timeNano", e.timeNano());
        return m;
    }
}
