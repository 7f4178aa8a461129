package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * HTTP to one registry endpoint (a registry or one of its mirrors), with the distribution spec's authentication.
 *
 * <p>The first request pings {@code /v2/} to learn the scheme (HTTPS, or plain HTTP where the configuration allows it
 * and HTTPS fails) and the authentication challenge. With a {@code Bearer} challenge every request carries a token for
 * its scope ({@code repository:library/busybox:pull}), fetched from the challenge's realm with the credentials (Basic)
 * when there are some, anonymously otherwise, and fetched again when the registry answers 401 (an expired token). With a
 * {@code Basic} challenge the credentials go with every request.
 */
public final class RegistryClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Bodies of error answers are read up to this size: they are only for messages. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final HttpClient http;
    private final String host;
    private final String apiHost;
    private final boolean httpAllowed;
    private final Credentials credentials;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile URI base;
    private volatile Map<String, String> challenge;
    private volatile String scheme; // "bearer", "basic" or "" once pinged

    /**
     * @param host the registry as references name it ("docker.io", "localhost:5000")
     * @param endpoint the base URL to talk to ("https://mirror.example"), or null for the registry itself
     */
    public RegistryClient(HttpClient http, String host, String endpoint, boolean httpAllowed, Credentials credentials) {
        this.http = http;
        this.host = host;
        this.credentials = credentials == null ? Credentials.ANONYMOUS : credentials;
        if (endpoint != null) {
            URI u = URI.create(endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
            this.apiHost = u.getRawAuthority();
            this.base = u;
            this.httpAllowed = u.getScheme().equals("http");
        } else {
            this.apiHost = host.equals(RegistryConfig.DOCKER_HUB) ? "registry-1.docker.io" : host;
            this.httpAllowed = httpAllowed;
        }
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    public String host() {
        return host;
    }

    /** The registry's base URL, e.g. {@code https://registry-1.docker.io}, once pinged. */
    public URI base() {
        ping();
        return base;
    }

    /**
     * Checks that the registry answers and that the credentials are accepted, as {@code docker login} does; throws
     * Docker's "login attempt to ... failed with status: 401 Unauthorized" otherwise.
     */
    public void login() {
        ping();
        String url = base + "/v2/";
        if (scheme.equals("bearer")) {
            token(""); // a token request with the credentials checks them
            return;
        }
        if (scheme.equals("basic")) {
            HttpResponse<InputStream> r = send(HttpRequest.newBuilder(URI.create(url)).GET(), "");
            close(r);
            if (r.statusCode() != 200) {
                throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, "login attempt to " + url
                        + " failed with status: " + r.statusCode() + " " + reason(r.statusCode()));
            }
        }
    }

    private synchronized void ping() {
        if (scheme != null) {
            return;
        }
        // Loopback registries are nearly always plain HTTP, and a plain HTTP server may never answer a TLS hello: try
        // HTTP first there. Other insecure registries get HTTPS first, as Docker does.
        List<String> schemes = base != null ? List.of(base.getScheme())
                : !httpAllowed ? List.of("https")
                : RegistryConfig.isLoopback(host) ? List.of("http", "https") : List.of("https", "http");
        RuntimeException last = null;
        for (String s : schemes) {
            URI uri = base != null ? URI.create(base + "/v2/") : URI.create(s + "://" + apiHost + "/v2/");
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(15))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                r.body().close();
                base = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + pathPrefix(uri));
                String auth = r.headers().firstValue("WWW-Authenticate").orElse("");
                if (r.statusCode() == 401 && !auth.isEmpty()) {
                    int space = auth.indexOf(' ');
                    scheme = (space < 0 ? auth : auth.substring(0, space)).toLowerCase(Locale.ROOT);
                    challenge = params(auth);
                } else {
                    scheme = "";
                }
                return;
            } catch (SSLException e) {
                last = last != null ? last : new RegistryException(RegistryException.Kind.UNAVAILABLE, "Get \"" + uri + "\": "
                        + (httpAllowed ? "http: server gave HTTP response to HTTPS client" : e.getMessage()), e);
            } catch (IOException e) {
                last = last != null ? last : unreachable("GET", uri.toString(), e); // the first scheme's error
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "interrupted", e);
            }
        }
        throw last;
    }

    private static String pathPrefix(URI v2) {
        String p = v2.getRawPath();
        return p.substring(0, p.length() - "/v2/".length());
    }

    private static Map<String, String> params(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(header);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        return out;
    }

    /** The scope a request on {@code repository} needs, e.g. {@code repository:library/busybox:pull}. */
    public static String scope(String repository, boolean push) {
        return "repository:" + repository + ":" + (push ? "pull,push" : "pull");
    }

    /**
     * Sends a request to {@code path} (under the registry's base) with the authorization {@code scope} needs, and again
     * with a fresh token if the registry answers 401. The caller reads and closes the body.
     */
    public HttpResponse<InputStream> send(String method, String path, Map<String, String> headers,
            HttpRequest.BodyPublisher body, String scope) {
        ping();
        URI uri = path.startsWith("http://") || path.startsWith("https://") ? URI.create(path)
                : URI.create(base + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : body);
        headers.forEach(b::header);
        return send(b, scope);
    }

    /** A GET of a URL outside the registry (a foreign layer's), without the registry's credentials. */
    public HttpResponse<InputStream> fetchUnauthenticated(URI uri) {
        return sendOnce(HttpRequest.newBuilder(uri).GET(), null);
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder b, String scope) {
        String authorization = authorization(scope, false);
        HttpResponse<InputStream> r = sendOnce(b, authorization);
        if (r.statusCode() == 401 && scheme.equals("bearer")) {
            close(r);
            r = sendOnce(b, authorization(scope, true));
        }
        if (r.statusCode() == 401 && scheme.equals("basic") && credentials.anonymous()) {
            close(r);
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, capitalised(r.request().method()) + " \""
                    + r.request().uri() + "\": no basic auth credentials");
        }
        return r;
    }

    private HttpResponse<InputStream> sendOnce(HttpRequest.Builder b, String authorization) {
        if (authorization != null) {
            b.setHeader("Authorization", authorization);
        }
        HttpRequest request = b.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(request.method(), request.uri().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "interrupted", e);
        }
    }

    private String authorization(String scope, boolean refresh) {
        return switch (scheme) {
            case "basic" -> credentials.anonymous() ? null : basic();
            case "bearer" -> {
                if (refresh) {
                    tokens.remove(scope);
                }
                yield "Bearer " + tokens.computeIfAbsent(scope, this::token);
            }
            default -> null;
        };
    }

    private String basic() {
        String pair = credentials.username() + ":" + (credentials.password() == null ? "" : credentials.password());
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A token from the challenge's realm for {@code scope} (empty: no scope, as {@code docker login} asks; several
     * scopes, space-separated, go as several {@code scope} parameters, as a cross-repository mount needs).
     */
    private String token(String scope) {
        String realm = challenge.get("realm");
        if (realm == null) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "no realm in the authentication challenge of "
                    + host);
        }
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        if (challenge.containsKey("service")) {
            url.append("service=").append(URLEncoder.encode(challenge.get("service"), StandardCharsets.UTF_8));
        }
        for (String one : scope.isEmpty() ? new String[0] : scope.split(" ")) {
            url.append("&scope=").append(URLEncoder.encode(one, StandardCharsets.UTF_8));
        }
        if (!credentials.anonymous() && credentials.username() != null) {
            url.append("&account=").append(URLEncoder.encode(credentials.username(), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString())).GET();
        if (!credentials.anonymous()) {
            b.header("Authorization", basic());
        }
        HttpResponse<InputStream> r = sendOnce(b, null);
        try (InputStream body = r.body()) {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            if (r.statusCode() != 200) {
                RegistryException e = error(r.statusCode(), bytes, "GET", realm);
                if (r.statusCode() == 401 || r.statusCode() == 403) {
                    throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, credentials.anonymous()
                            ? e.getMessage() : "unauthorized: incorrect username or password", e);
                }
                throw e;
            }
            JsonNode json = JSON.readTree(bytes);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, "no token in the answer of " + realm);
            }
            return token;
        } catch (IOException e) {
            throw unreachable("GET", realm, e);
        }
    }

    /**
     * The error a non-success answer means, in Docker's wording: the registry's first {@code errors[]} entry as
     * "code: message" ("manifest unknown: manifest unknown"), else the status.
     */
    static RegistryException error(int status, byte[] body, String method, String url) {
        RegistryException.Kind kind = switch (status) {
            case 401, 403 -> RegistryException.Kind.UNAUTHORIZED;
            case 404 -> RegistryException.Kind.NOT_FOUND;
            case 400 -> RegistryException.Kind.INVALID;
            default -> RegistryException.Kind.UNAVAILABLE;
        };
        try {
            JsonNode errors = body.length == 0 ? null : JSON.readTree(body).path("errors");
            if (errors != null && errors.isArray() && !errors.isEmpty()) {
                JsonNode e = errors.get(0);
                String code = e.path("code").asText("UNKNOWN").toLowerCase(Locale.ROOT).replace('_', ' ');
                return new RegistryException(kind, code + ": " + e.path("message").asText(""), null, e.path("code").asText(""));
            }
        } catch (IOException notJson) {
            // fall through to the status line, as Docker does for an HTML error page
        }
        if (status == 401) {
            return new RegistryException(kind, method + " \"" + url + "\": unauthorized: authentication required");
        }
        if (status == 429) {
            return new RegistryException(kind, "toomanyrequests: Too Many Requests");
        }
        return new RegistryException(kind, "received unexpected HTTP status: " + status + " " + reason(status));
    }

    static RegistryException error(HttpResponse<InputStream> r) {
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            body = new byte[0];
        }
        return error(r.statusCode(), body, r.request().method(), r.request().uri().toString());
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 416 -> "Requested Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    private RegistryException unreachable(String method, String url, IOException e) {
        String cause = e instanceof ConnectException ? "connect: connection refused"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new RegistryException(RegistryException.Kind.UNAVAILABLE,
                capitalised(method) + " \"" + url + "\": dial tcp " + apiHost + ": " + cause, e);
    }

    private static String capitalised(String method) {
        return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
    }

    static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // the answer is being dropped anyway
        }
    }
}
