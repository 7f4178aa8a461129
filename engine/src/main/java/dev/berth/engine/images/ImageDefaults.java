package dev.berth.engine.images;

import dev.berth.engine.containers.Healthcheck;
import java.util.List;
import java.util.Map;

/** What an image's config says a container should run with, unless the container says otherwise. */
public record ImageDefaults(String user, List<String> env, List<String> cmd, List<String> entrypoint,
        String workingDir, Map<String, String> labels, List<String> exposedPorts, List<String> volumes,
        String stopSignal, Healthcheck healthcheck) {}
