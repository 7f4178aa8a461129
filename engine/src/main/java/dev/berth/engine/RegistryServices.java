package dev.berth.engine;

import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.PullService;
import dev.berth.registry.Puller;
import dev.berth.registry.Registries;
import dev.berth.registry.RegistryConfig;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;
import java.io.IOException;

/** The engine's registry use cases, wired from the daemon's registry settings. */
public final class RegistryServices {
    private final Registries registries;
    private final PullService pulls;

    private RegistryServices(Registries registries, PullService pulls) {
        this.registries = registries;
        this.pulls = pulls;
    }

    static RegistryServices open(DaemonConfig config, RegistryConfig registryConfig, ImageService images,
            LayerStore layers) throws IOException {
        Registries registries = new Registries(registryConfig);
        ContentStore content = new ContentStore(config.dataRoot());
        Puller puller = new Puller(registries, content, layers);
        return new RegistryServices(registries, new PullService(puller, images, layers));
    }

    public PullService pulls() {
        return pulls;
    }

    public Registries registries() {
        return registries;
    }
}
