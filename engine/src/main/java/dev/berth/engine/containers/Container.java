package dev.berth.engine.containers;

import java.time.Instant;

/**
 * One container as the engine knows it, persisted as JSON in the metadata database.
 *
 * @param image the image as the user named it ("busybox")
 * @param imageId the image's ID ("sha256:...")
 * @param layers the image's layer chain IDs, bottom first, that the container's filesystem stacks on
 */
public record Container(
        String id,
        String name,
        Instant created,
        String image,
        String imageId,
        java.util.List<String> layers,
        ContainerSettings settings,
        RunState state,
        int restartCount,
        boolean hasBeenStarted) {

    public Container withState(RunState s) {
        return new Container(id, name, created, image, imageId, layers, settings, s, restartCount,
                hasBeenStarted || s.status() == Status.RUNNING);
    }

    public Container withName(String n) {
        return new Container(id, n, created, image, imageId, layers, settings, state, restartCount, hasBeenStarted);
    }

    public Container withSettings(ContainerSettings s) {
        return new Container(id, name, created, image, imageId, layers, s, state, restartCount, hasBeenStarted);
    }

    public String shortId() {
        return id.substring(0, 12);
    }
}
