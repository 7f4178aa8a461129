package dev.berth.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a build needs from the engine: local images, build containers for RUN, the build cache, and a place to store the
 * result. The build module knows nothing of how containers run; the engine's BuildService implements this.
 */
public interface BuildHost {
    /** A local image: its ID ("sha256:...") and config JSON (the bytes the ID is the digest of). */
    record Image(String id, byte[] config) {}

    /** The image a name or ID means locally (pulled first when missing), if any. */
    Optional<Image> image(String ref);

    /** {@code --pull}: the image pulled again from its registry, or empty when the pull fails. */
    Optional<Image> pull(String ref);

    /**
     * A container for one RUN step.
     *
     * @param chainIds the layers it runs on, bottom first
     * @param argv the process, already wrapped in the shell for the shell form
     * @param env the image's Env plus the build args the step sees
     * @param networkMode the build's network ("bridge" by default; see {@link BuildOptions})
     * @param mounts the step's {@code RUN --mount}s, which never become part of its layer
     * @param secretEnv secrets given as environment variables ({@code NAME=value}): the process has them, no record
     *     of the container does
     */
    record RunSpec(String imageId, List<String> chainIds, List<String> argv, List<String> env, String user,
            String workingDir, String networkMode, List<Mount> mounts, List<String> secretEnv) {}

    /**
     * A mount of one RUN step.
     *
     * @param type "bind" (of {@code source}, a host path) or "tmpfs"
     * @param tmpfsSize bytes, 0 for no limit
     */
    record Mount(String type, Path source, String target, boolean readOnly, long tmpfsSize) {}

    /**
     * A created build container. {@link #run} starts it and streams its output until it exits; {@link #upperDir} is
     * its overlay upper dir (valid until {@link #close}); {@link #close} removes the container and everything it had.
     */
    interface Container extends AutoCloseable {
        String id();

        int run(OutputStream output) throws BuildException;

        Path upperDir();

        @Override
        void close();
    }

    Container create(RunSpec spec) throws BuildException;

    /**
     * Stores the final image (config bytes whose digest is its ID, made from the local image {@code parentId}, or null)
     * and tags it; returns the tags as Docker prints them
     * ("myimage:latest"). Invalid tags were refused before the build began ({@link #checkTag}).
     */
    List<String> commit(byte[] config, long size, String parentId, List<String> tags) throws BuildException;

    /** Refuses a tag Docker would refuse ("invalid reference format"), before anything is built. */
    void checkTag(String tag) throws BuildException;

    /** The result (image config bytes) a step with this cache key produced before, if any. */
    Optional<byte[]> cached(String key);

    void remember(String key, byte[] config);

    /** A directory for the build's temporary files (context, mounts), on the data root's filesystem. */
    Path scratch() throws IOException;

    /** The directory that keeps {@code RUN --mount=type=cache} directories from one build to the next. */
    Path cacheMounts() throws IOException;
}
