package dev.berth.engine.images;

import dev.berth.engine.EngineException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Reference;
import dev.berth.registry.Credentials;
import dev.berth.registry.Manifests;
import dev.berth.registry.Progress;
import dev.berth.registry.Pusher;
import dev.berth.registry.RegistryException;
import dev.berth.store.ContentStore;
import dev.berth.store.LayerStore;
import dev.berth.store.LayerTar;
import dev.berth.store.meta.MetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * {@code docker push}: sends an image's layers as the compressed blobs they were pulled or imported as, so a layer
 * keeps one digest wherever it goes. A layer without one (built here, or imported uncompressed) is gzip-compressed once
 * and that blob is recorded for every later push.
 */
public final class PushService {
    private final Pusher pusher;
    private final ImageService images;
    private final LayerStore layers;
    private final ContentStore content;

    public PushService(Pusher pusher, ImageService images, LayerStore layers, ContentStore content) {
        this.pusher = pusher;
        this.images = images;
        this.layers = layers;
        this.content = content;
    }

    /** Pushes {@code name:tag}; with no tag, every local tag of the repository, as Docker does. */
    public void push(String name, String tag, Credentials credentials, Progress progress) {
        Reference repo;
        try {
            repo = Reference.parse(name);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument(e.getMessage(), e);
        }
        List<Reference> refs = new ArrayList<>();
        if (tag != null && !tag.isEmpty()) {
            refs.add(repo.withTag(tag));
        } else {
            for (ImageRecord i : images.list()) {
                for (String t : i.repoTags()) {
                    Reference r = Reference.parse(t);
                    if (r.name().equals(repo.name())) {
                        refs.add(r);
                    }
                }
            }
        }
        Optional<ImageService.RawImage> first = refs.isEmpty() ? Optional.empty() : images.raw(refs.getFirst().toString());
        if (first.isEmpty()) {
            throw new EngineException.NotFound("An image does not exist locally with the tag: " + repo.familiarName());
        }
        progress.status("", "The push refers to repository [" + repo.name() + "]");
        for (Reference ref : refs) {
            pushOne(ref, credentials, progress);
        }
    }

    private void pushOne(Reference ref, Credentials credentials, Progress progress) {
        ImageService.RawImage image = images.raw(ref.toString()).orElseThrow(() -> new EngineException.NotFound(
                "An image does not exist locally with the tag: " + ref.familiarName()));
        try {
            List<String> diffIds = Manifests.diffIds(image.config());
            List<String> chainIds = layers.chainIds(diffIds);
            List<Pusher.Blob> blobs = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                blobs.add(blob(diffIds.get(i), chainIds.get(i)));
            }
            Digest configDigest = content.put(image.config());
            Pusher.Blob config = new Pusher.Blob(new Descriptor(MediaTypes.DOCKER_CONFIG, configDigest,
                    image.config().length), content.path(configDigest));
            Pusher.Pushed pushed = pusher.push(ref, credentials, config, blobs, progress);
            images.putRepoDigest(ref.name() + "@" + pushed.digest(), image.id());
            progress.status("", ref.tag() + ": digest: " + pushed.digest() + " size: " + pushed.size());
        } catch (RegistryException e) {
            throw PullService.translate(e);
        } catch (IOException e) {
            throw new EngineException.Internal(e.getMessage(), e);
        }
    }

    /** The compressed blob of a layer: the recorded one, else one made now (and recorded). */
    private Pusher.Blob blob(String diffId, String chainId) throws IOException {
        Optional<MetadataStore.LayerBlob> known = images.layerBlob(diffId);
        if (known.isPresent() && !known.get().mediaType().equals(MediaTypes.OCI_LAYER)) {
            Digest d = Digest.parse(known.get().digest());
            if (content.has(d) || !known.get().urls().isEmpty()) { // a foreign layer is named, not sent
                return new Pusher.Blob(new Descriptor(known.get().mediaType(), d, known.get().size(), null,
                        known.get().urls()), content.path(d));
            }
        }
        MessageDigest raw = Digest.newSha256();
        ContentStore.Written written;
        try (ContentStore.Writer out = content.writer()) {
            // finished, not closed: closing would close the writer, which drops an uncommitted blob
            GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
            OutputStream tar = new DigestOutputStream(gz, raw);
            Optional<Digest> plain = known.map(k -> Digest.parse(k.digest())).filter(content::has);
            if (plain.isPresent()) {
                try (InputStream in = Files.newInputStream(content.path(plain.get()))) {
                    in.transferTo(tar);
                }
            } else {
                LayerTar.writeDiff(layers.diffDir(chainId), tar);
            }
            gz.finish();
            if (!Digest.sha256Of(raw).toString().equals(diffId)) {
                throw new EngineException.Internal("cannot push layer " + diffId
                        + ": its content no longer gives the same tar (the original tar was not kept)", null);
            }
            written = out.commit();
        }
        images.putLayerBlob(new MetadataStore.LayerBlob(diffId, written.digest().toString(), MediaTypes.DOCKER_LAYER,
                written.size()));
        return new Pusher.Blob(new Descriptor(MediaTypes.DOCKER_LAYER, written.digest(), written.size()),
                content.path(written.digest()));
    }
}
