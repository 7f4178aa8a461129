package dev.berth.build;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code ADD https://...}: the file is downloaded on every build (its content is part of the step's cache key), named
 * after the URL's last path element, with mode 0600 and the server's Last-Modified time, as Docker does. Archives
 * fetched this way are not unpacked.
 */
final class RemoteFile {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private RemoteFile() {}

    static CopyInstruction.Source download(String url, Path scratch) throws BuildException, IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new BuildException("ADD failed: invalid URL " + url);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw new BuildException("cannot determine filename from url: " + url);
        }
        Path file = Files.createTempFile(scratch, "download-", "");
        try {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() >= 400) {
                    throw new BuildException("ADD failed: failed to GET " + url + " with status " + response.statusCode());
                }
                Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setAttribute(file, "unix:mode", 0600);
            response.headers().firstValue("Last-Modified").ifPresent(lm -> {
                try {
                    Files.setLastModifiedTime(file, FileTime.from(
                            ZonedDateTime.parse(lm, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
                } catch (IOException | RuntimeException e) {
                    // an unreadable date: the download time stays
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("ADD failed: interrupted while downloading " + url, 1, false, e);
        } catch (IOException e) {
            throw new BuildException("ADD failed: " + url + ": " + e.getMessage(), 1, true, e);
        }
        return new CopyInstruction.Source(file, name, true);
    }
}
