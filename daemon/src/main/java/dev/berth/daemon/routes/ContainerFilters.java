package dev.berth.daemon.routes;

import dev.berth.engine.EngineException;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.ContainerRegistry;
import dev.berth.engine.containers.Health;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Docker's container list and prune filters (daemon/list.go), over the parsed {@code filters} parameter. */
final class ContainerFilters {
    private static final Set<String> LIST_KEYS = Set.of("ancestor", "before", "exited", "id", "isolation", "label",
            "name", "status", "health", "since", "volume", "network", "is-task", "publish", "expose");
    private static final Set<String> PRUNE_KEYS = Set.of("label", "label!", "until");
    private static final Set<String> STATUSES =
            Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");
    private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");

    private final Map<String, List<String>> filters;

    private ContainerFilters(Map<String, List<String>> filters) {
        this.filters = filters;
    }

    static ContainerFilters parse(String json) {
        return validated(Filters.parse(json), LIST_KEYS);
    }

    static ContainerFilters parsePrune(String json) {
        return validated(Filters.parse(json), PRUNE_KEYS);
    }

    private static ContainerFilters validated(Map<String, List<String>> f, Set<String> allowed) {
        for (String k : f.keySet()) {
            if (!allowed.contains(k)) {
                throw new EngineException.InvalidArgument("invalid filter '" + k + "'");
            }
        }
        for (String s : f.getOrDefault("status", List.of())) {
            if (!STATUSES.contains(s)) {
                throw new EngineException.InvalidArgument("invalid filter 'status=" + s + "'");
            }
        }
        for (String s : f.getOrDefault("health", List.of())) {
            if (!HEALTH.contains(s)) {
                throw new EngineException.InvalidArgument("Unrecognised filter value for health: " + s);
            }
        }
        return new ContainerFilters(f);
    }

    boolean hasStatus() {
        return filters.containsKey("status") || filters.containsKey("exited");
    }

    /** {@code health} is the container's current health, null when it has no check (Docker's "none"). */
    boolean matches(Container c, ContainerRegistry registry, Health health) {
        return anyMatch("id", v -> regex(v, c.id()))
                && anyMatch("health", v -> v.equals(health == null ? "none" : health.status()))
                && anyMatch("name", v -> regex(v, c.name()) || regex(v, "/" + c.name()))
                && anyMatch("status", v -> v.equals(c.state().status().apiName()))
                && anyMatch("exited", v -> !c.state().isRunning() && c.hasBeenStarted()
                        && String.valueOf(c.state().exitCode()).equals(v))
                && allMatch("label", v -> Filters.labelMatches(v, c.settings().labels()))
                && allMatch("label!", v -> !Filters.labelMatches(v, c.settings().labels()))
                && anyMatch("ancestor", v -> v.equals(c.image()) || c.imageId().startsWith(v)
                        || c.imageId().startsWith("sha256:" + v))
                && allMatch("before", v -> registry.lookup(v).map(o -> c.created().isBefore(o.created())).orElse(false))
                && allMatch("since", v -> registry.lookup(v).map(o -> c.created().isAfter(o.created())).orElse(false))
                && allMatch("until", v -> Filters.before(c.created(), v))
                && anyMatch("volume", v -> c.settings().mounts().resolved().stream()
                        .anyMatch(m -> v.equals(m.name()) || v.equals(m.destination()) || v.equals(m.source())));
    }

    private boolean anyMatch(String key, java.util.function.Predicate<String> p) {
        List<String> values = filters.get(key);
        return values == null || values.stream().anyMatch(p);
    }

    private boolean allMatch(String key, java.util.function.Predicate<String> p) {
        List<String> values = filters.get(key);
        return values == null || values.stream().allMatch(p);
    }

    /** Docker matches id and name filters as regular expressions found anywhere in the value. */
    private static boolean regex(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return value.contains(pattern);
        }
    }
}
