package dev.berth.engine.containers;

import java.time.Instant;

/**
 * One container as the engine knows it, persisted as JSON in the metadata database.
 *
 * @param image the image as the user named it ("busybox")
 * @param imageId the image's ID ("sha256:...")
 * @param layers the image's layer chain IDs, bottom first, that the container's filesystem stacks on
 * @param restartCount how often the restart policy started it since the user last did
 * @param stoppedByUser the user stopped or killed it (and has not started it since): restart policies leave it stopped
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
        boolean hasBeenStarted,
        boolean stoppedByUser) {

    public Container withState(RunState s) {
        return new Container(id, name, created, image, imageId, layers, settings, s, restartCount,
                hasBeenStarted || s.status() == Status.RUNNING, stoppedByUser);
    }

    public Container withName(String n) {
        return new Container(id, n, created, image, imageId, layers, settings, state, restartCount, hasBeenStarted,
                stoppedByUser);
    }

    public Container withRestartCount(int n) {
        return new Container(id, name, created, image, imageId, layers, settings, state, n, hasBeenStarted,
                stoppedByUser);
    }

    public Container withStoppedByUser(boolean stopped) {
        return new Container(id, name, created, image, imageId, layers, settings, state, restartCount, hasBeenStarted,
                stopped);
    }

    public Container withSettings(ContainerSettings s) {
        return new Container(id, name, created, image, imageId, layers, s, state, restartCount, hasBeenStarted,
                stoppedByUser);
    }

    public String shortId() {
        return id.substring(0, 12);
    }
}
