package dev.berth.daemon.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method and path (without the version prefix, which {@link HttpHandler} strips once) to a {@link Route}.
 *
 * <p>Path templates use {@code {name}} for a greedy part that may contain '/', ':' and '@' (image names such as
 * {@code localhost:5000/a/b:v1}). Routes are tried in registration order, so register fixed paths such as
 * {@code /images/json} before {@code /images/{name}/json}.
 */
public final class Router {
    private record Entry(String method, Pattern pattern, Route route) {}

    /** A matched route with its decoded path parameters. */
    public record Match(Route route, List<String> params) {}

    private final List<Entry> entries = new ArrayList<>();

    public Router add(String method, String template, Route route) {
        StringBuilder regex = new StringBuilder("^");
        Matcher m = Pattern.compile("\\{[a-zA-Z]+\\}").matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("(.+)");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append('$');
        entries.add(new Entry(method, Pattern.compile(regex.toString()), route));
        return this;
    }

    /** The route for this request, or empty for Docker's 404 "page not found". */
    public Optional<Match> match(String method, String path) {
        for (Entry e : entries) {
            if (!e.method.equals(method)) {
                continue;
            }
            Matcher m = e.pattern.matcher(path);
            if (m.matches()) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    params.add(URLDecoder.decode(m.group(i), StandardCharsets.UTF_8));
                }
                return Optional.of(new Match(e.route, params));
            }
        }
        return Optional.empty();
    }
}
