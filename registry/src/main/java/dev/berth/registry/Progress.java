package dev.berth.registry;

/**
 * Where a pull or push reports what it does, in the terms of Docker's JSON message stream: an {@code id} (a layer's
 * short digest, a tag, or "" for the whole operation), a status ("Pulling fs layer", "Downloading", "Pull complete"),
 * and for transfers the bytes done and the total ({@code total < 0}: no progress bar). Called from several threads.
 */
public interface Progress {
    void update(String id, String status, long current, long total);

    default void status(String id, String status) {
        update(id, status, -1, -1);
    }

    Progress NONE = (id, status, current, total) -> { };
}
