package dev.berth.engine;

import dev.berth.engine.images.ArchiveService;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.PullService;
import dev.berth.engine.images.PushService;
import dev.berth.engine.images.SearchService;
import dev.berth.registry.BlobSources;
import dev.berth.registry.Puller;
import dev.berth.registry.Pusher;
import dev.berth.registry.Registries;
import dev.berth.registry.RegistryConfig;
import dev.berth.registry.Searcher;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;

/** The engine's registry use cases, wired from the daemon's registry settings. */
public final class RegistryServices {
    private final Registries registries;
    private final PullService pulls;
    private final PushService pushes;
    private final ArchiveService archives;
    private final SearchService searches;
    private final ImageService images;

    private RegistryServices(Registries registries, PullService pulls, PushService pushes, ArchiveService archives,
            SearchService searches) {
        this.registries = registries;
        this.pulls = pulls;
        this.pushes = pushes;
        this.archives = archives;
        this.searches = searches;
        this.images = archives.images();
    }

    public ImageService images() {
        return images;
    }

    static RegistryServices open(RegistryConfig registryConfig, ImageService images, LayerStore layers,
            ContentStore content, BlobSources sources, java.nio.file.Path scratch) {
        Registries registries = new Registries(registryConfig);
        Puller puller = new Puller(registries, content, layers);
        return new RegistryServices(registries, new PullService(puller, images, layers, sources),
                new PushService(new Pusher(registries, sources), images, layers, content),
                new ArchiveService(images, layers, content, scratch), new SearchService(new Searcher(registries)));
    }

    public PullService pulls() {
        return pulls;
    }

    public PushService pushes() {
        return pushes;
    }

    /** save and load. */
    public ArchiveService archives() {
        return archives;
    }

    public SearchService searches() {
        return searches;
    }

    public Registries registries() {
        return registries;
    }
}
