package dev.berth.engine;

import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.Status;
import dev.berth.engine.images.ImageService;

/** Daemon-wide facts and counts for {@code info} and {@code version}. */
public final class SystemService {
    private final SystemFacts facts;
    private final ContainerService containers;
    private final ImageService images;

    public SystemService(SystemFacts facts, ContainerService containers, ImageService images) {
        this.facts = facts;
        this.containers = containers;
        this.images = images;
    }

    public SystemFacts facts() {
        return facts;
    }

    public SystemFacts.Counts counts() {
        int running = 0;
        int paused = 0;
        int total = 0;
        for (Container c : containers.list()) {
            total++;
            if (c.state().status() == Status.PAUSED) {
                paused++;
            } else if (c.state().isRunning()) {
                running++;
            }
        }
        return new SystemFacts.Counts(total, running, paused, total - running - paused, images.count());
    }
}
