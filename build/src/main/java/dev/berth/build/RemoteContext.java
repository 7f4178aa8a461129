package dev.berth.build;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

/**
 * {@code POST /build?remote=URL} for an http(s) URL: the daemon downloads the context itself. A tar (plain, gzip or
 * bzip2, by magic bytes) is unpacked as the context; any other content is the Dockerfile, in an otherwise empty
 * context. Git URLs are not fetched.
 */
final class RemoteContext {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private RemoteContext() {}

    static void fetch(String url, java.nio.file.Path contextDir, String dockerfileName) throws BuildException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BuildException("unable to prepare context: invalid remote URL " + url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new BuildException("unable to prepare context: remote URL " + url + " is not an http(s) URL;"
                    + " git contexts are not supported");
        }
        try {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = new BufferedInputStream(response.body(), 64 * 1024)) {
                if (response.statusCode() >= 400) {
                    throw new BuildException("error downloading remote context " + url + ": failed to GET " + url
                            + " with status " + status(response.statusCode()));
                }
                body.mark(512);
                byte[] head = body.readNBytes(512);
                body.reset();
                if (isArchive(head)) {
                    ContextArchive.unpack(body, contextDir);
                } else {
                    if (RootPath.escapes(dockerfileName)) {
                        throw new BuildException("Cannot locate specified Dockerfile: " + dockerfileName);
                    }
                    java.nio.file.Path file = RootPath.resolve(contextDir, dockerfileName);
                    Files.createDirectories(file.getParent());
                    Files.copy(body, file);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while downloading " + url, 1, false, e);
        } catch (IOException e) {
            throw new BuildException("error downloading remote context " + url + ": " + e.getMessage(), 1, true, e);
        }
    }

    private static boolean isArchive(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return true;
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return true;
        }
        return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    /** The status as Go's net/http prints it ("404 Not Found"). */
    private static String status(int code) {
        String reason = switch (code) {
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 500 -> " Internal Server Error";
            default -> "";
        };
        return code + reason;
    }
}
