package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.engine.EngineException;
import dev.berth.engine.images.PullService;
import dev.berth.registry.Credentials;
import java.io.IOException;
import java.util.Base64;

/** {@code POST /images/create?fromImage=&tag=&platform=}: a pull, answered with Docker's JSON message stream. */
final class PullRoute {
    private final PullService pulls;

    PullRoute(PullService pulls) {
        this.pulls = pulls;
    }

    void pull(Exchange ex) throws IOException {
        String from = ex.query("fromImage");
        if (from == null || from.isEmpty()) {
            throw new EngineException.InvalidArgument("invalid reference format");
        }
        Credentials credentials = credentials(ex.headers().get("X-Registry-Auth"));
        try (ProgressStream progress = new ProgressStream(ex)) {
            try {
                pulls.pull(from, ex.query("tag"), ex.query("platform"), credentials, progress);
            } catch (EngineException | java.io.UncheckedIOException e) {
                if (!progress.started()) {
                    throw e;
                }
                progress.error(e.getMessage());
            }
        }
    }

    /**
     * The docker CLI's X-Registry-Auth: base64url of {@code {"username","password","serveraddress","identitytoken"}};
     * anything unreadable counts as no credentials, as Docker does.
     */
    static Credentials credentials(String header) {
        if (header == null || header.isBlank()) {
            return Credentials.ANONYMOUS;
        }
        try {
            String padded = header.strip();
            byte[] json = padded.contains("+") || padded.contains("/") ? Base64.getDecoder().decode(padded)
                    : Base64.getUrlDecoder().decode(padded.replace("=", ""));
            JsonNode n = Responses.JSON.readTree(json);
            return new Credentials(n.path("username").asText(null), n.path("password").asText(null),
                    n.path("identitytoken").asText(null));
        } catch (IllegalArgumentException | IOException e) {
            return Credentials.ANONYMOUS;
        }
    }
}
