package dev.berth.build;

/** Where a build reports progress: lines of the classic builder's output, and the ID of the image it made. */
public interface BuildOutput {
    /** Text as it comes (lines end with '\n'; a RUN step's output is passed through as it arrives). */
    void stream(String text);

    /** The built image's ID ("sha256:..."), sent as the {@code moby.image.id} aux message. */
    void imageId(String id);
}
