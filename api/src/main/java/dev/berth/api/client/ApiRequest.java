package dev.berth.api.client;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One Engine API call. {@code path} is unversioned ("/containers/json"); the client adds the version prefix. Query
 * parameters keep repeated keys (the CLI sends {@code changes=} once per --change) and are sorted by key on the wire, as
 * Go's {@code url.Values.Encode} does.
 *
 * @param body bytes to send, or null
 * @param stream a body of unknown length sent chunked (e.g. an import tarball from stdin), or null
 * @param headers extra request headers (X-Registry-Auth)
 */
public record ApiRequest(String method, String path, List<Map.Entry<String, String>> query, String contentType,
        byte[] body, InputStream stream, Map<String, String> headers) {

    public static ApiRequest get(String path) {
        return new ApiRequest("GET", path, List.of(), null, null, null, Map.of());
    }

    public static ApiRequest post(String path) {
        return new ApiRequest("POST", path, List.of(), null, null, null, Map.of());
    }

    public static ApiRequest delete(String path) {
        return new ApiRequest("DELETE", path, List.of(), null, null, null, Map.of());
    }

    public static ApiRequest put(String path) {
        return new ApiRequest("PUT", path, List.of(), null, null, null, Map.of());
    }

    public static ApiRequest head(String path) {
        return new ApiRequest("HEAD", path, List.of(), null, null, null, Map.of());
    }

    /** Adds a parameter; a null value leaves the request unchanged so callers can pass optional flags directly. */
    public ApiRequest query(String key, String value) {
        if (value == null) {
            return this;
        }
        List<Map.Entry<String, String>> next = new ArrayList<>(query);
        next.add(Map.entry(key, value));
        return new ApiRequest(method, path, List.copyOf(next), contentType, body, stream, headers);
    }

    public ApiRequest body(String type, byte[] bytes) {
        return new ApiRequest(method, path, query, type, bytes, null, headers);
    }

    public ApiRequest stream(String type, InputStream in) {
        return new ApiRequest(method, path, query, type, null, in, headers);
    }

    /** Adds a request header. */
    public ApiRequest header(String name, String value) {
        Map<String, String> next = new java.util.LinkedHashMap<>(headers);
        next.put(name, value);
        return new ApiRequest(method, path, query, contentType, body, stream, Map.copyOf(next));
    }

    /** Path segments such as container names are escaped like Go's url.PathEscape would leave them readable. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":")
                .replace("%2F", "/").replace("%40", "@");
    }

    String target(String versionPrefix) {
        StringBuilder sb = new StringBuilder(versionPrefix).append(path);
        List<Map.Entry<String, String>> sorted = new ArrayList<>(query);
        sorted.sort(Comparator.comparing(Map.Entry::getKey));
        char sep = '?';
        for (Map.Entry<String, String> e : sorted) {
            sb.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }
}
