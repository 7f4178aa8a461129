package dev.berth.engine.images;

import dev.berth.engine.EngineException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What {@code docker import URL} reads: the body of a plain GET, redirects followed, as Docker's daemon fetches it. A
 * source without a scheme is taken as a host, over HTTP, as Docker takes it.
 */
public final class ImportSource {
    /** Bodies of error answers are read up to this size: they are only for the message. */
    private static final int MAX_ERROR_BODY = 4096;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private ImportSource() {}

    /** The URL {@code src} means ("example.com" is "http://example.com"). */
    public static String url(String src) {
        return src.contains("://") ? src : "http://" + src;
    }

    /** Opens the tar at {@code url}; a failed request or a non-2xx answer is Docker's error. */
    public static InputStream open(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("invalid import source " + url + ": " + e.getMessage(), e);
        }
        HttpResponse<InputStream> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException.Internal("Get \"" + url + "\": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.Internal("Get \"" + url + "\": interrupted", e);
        }
        if (r.statusCode() / 100 != 2) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                body = "";
            }
            throw new EngineException.Internal("failed to GET " + url + " with status " + r.statusCode() + " "
                    + reason(r.statusCode()) + ": " + body, null);
        }
        return r.body();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }
}
