package dev.berth.registry;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

/** Makes {@link RegistryClient}s for registries and their mirrors, from the daemon's {@link RegistryConfig}. */
public final class Registries {
    private final RegistryConfig config;
    private final HttpClient http;

    public Registries(RegistryConfig config) {
        this(config, RegistryClient.newHttpClient());
    }

    public Registries(RegistryConfig config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    public RegistryConfig config() {
        return config;
    }

    /** The registry itself. */
    public RegistryClient client(String host, Credentials credentials) {
        return new RegistryClient(http, host, null, config.allowsHttp(host), credentials);
    }

    /** Another endpoint of {@code host}, such as Docker Hub's index for searches. */
    public RegistryClient endpoint(String host, String url, Credentials credentials) {
        return new RegistryClient(http, host, url, url.startsWith("http:"), credentials);
    }

    /**
     * Where to pull from, in order: the configured mirrors of {@code host} (anonymous, as Docker's mirrors are), then
     * the registry itself.
     */
    public List<RegistryClient> pullEndpoints(String host, Credentials credentials) {
        List<RegistryClient> out = new ArrayList<>();
        for (String mirror : config.mirrorsOf(host)) {
            out.add(new RegistryClient(http, host, mirror, mirror.startsWith("http:"), Credentials.ANONYMOUS));
        }
        out.add(client(host, credentials));
        return out;
    }
}
