package dev.berth.engine.containers;

import java.util.function.Function;

/**
 * What the container service asks of the volume service: resolving a new container's mounts (creating the volumes it
 * names or implies) and releasing them when it is removed.
 */
public interface ContainerVolumes {
    /** No volume support: mounts are refused... except none are asked for. */
    ContainerVolumes NONE = new ContainerVolumes() {
        @Override
        public MountSettings resolve(String id, ContainerSettings merged, Function<String, Container> containers) {
            return merged.storage();
        }

        @Override
        public void release(Container c, boolean removeAnonymous) {
        }
    };

    /**
     * The mounts of a container being created, with their points resolved: binds checked, named volumes created when
     * missing, an anonymous volume for each image or {@code -v /path} volume not otherwise mounted, volumes-from copied.
     * A failure leaves no volume this call created behind. {@code merged.storage()} null means no mounts at all (build
     * steps), image volumes included.
     */
    MountSettings resolve(String id, ContainerSettings merged, Function<String, Container> containers);

    /** A container was removed: with {@code removeAnonymous}, its anonymous volumes no other container uses go too. */
    void release(Container c, boolean removeAnonymous);
}
