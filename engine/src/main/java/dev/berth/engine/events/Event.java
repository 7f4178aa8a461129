package dev.berth.engine.events;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to an object of the engine, as {@code docker events} reports it.
 *
 * @param type what kind of object: "container", "image", "network", "volume", "daemon"...
 * @param action what happened: "start", "die", "health_status: healthy", "exec_create: sh -c date"...
 * @param actorId the object's ID (a container ID, an image reference or ID, a volume name)
 * @param attributes what else identifies the object (for containers: its labels, image and name) and details of the
 *                   action (exitCode on die, signal on kill); iteration order is irrelevant, readers sort
 * @param time when it happened, with nanoseconds
 */
public record Event(String type, String action, String actorId, Map<String, String> attributes, Instant time) {
    /** All events are local: Berth has no swarm. */
    public static final String SCOPE = "local";

    public Event {
        attributes = Map.copyOf(attributes);
    }

    /** Nanoseconds since the epoch, as the API's {@code timeNano}. */
    public long timeNano() {
        return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }
}
