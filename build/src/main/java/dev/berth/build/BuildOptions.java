package dev.berth.build;

import java.util.List;
import java.util.Map;

/**
 * What {@code POST /build} asked for.
 *
 * @param dockerfile the Dockerfile's path inside the context ("Dockerfile" by default)
 * @param buildArgs --build-arg values; a null value means "take it from the daemon's environment" (proxy args)
 * @param target the stage to stop at, or null for the last
 * @param networkMode the network RUN steps use; empty or "default" means {@link #DEFAULT_NETWORK}
 * @param progressPlain explain cache misses in the output
 * @param check only check the Dockerfile against best practices ({@link DockerfileLint}), build nothing
 * @param pull pull every FROM image again, even one present locally
 * @param secrets {@code --secret} values by ID, for {@code RUN --mount=type=secret}; never stored anywhere
 */
public record BuildOptions(String dockerfile, List<String> tags, Map<String, String> buildArgs, String target,
        boolean noCache, Map<String, String> labels, boolean quiet, String networkMode, String platform,
        boolean progressPlain, boolean check, boolean pull, Map<String, byte[]> secrets) {
    public BuildOptions {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    /** Leaves the secrets out, so that no log or message ever shows them. */
    @Override
    public String toString() {
        return "BuildOptions[dockerfile=" + dockerfile + ", tags=" + tags + ", target=" + target + ", secrets="
                + secrets.keySet() + "]";
    }

    /**
     * As Docker's: RUN steps get outbound access (apt-get, pip) through the default bridge's NAT; {@code --network host}
     * shares the host's. The one place that decides it.
     */
    public static final String DEFAULT_NETWORK = "bridge";

    public String effectiveNetwork() {
        return networkMode == null || networkMode.isEmpty() || networkMode.equals("default") ? DEFAULT_NETWORK
                : networkMode;
    }
}
