package dev.berth.engine.images;

import dev.berth.engine.EngineException;
import dev.berth.registry.Credentials;
import dev.berth.registry.RegistryException;
import dev.berth.registry.Searcher;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** {@code docker search}: a registry's search results, filtered by stars and official or automated status. */
public final class SearchService {
    /** What Docker asks for when the client gives no limit. */
    public static final int DEFAULT_LIMIT = 25;
    private static final Set<String> FILTERS = Set.of("stars", "is-official", "is-automated");

    private final Searcher searcher;

    public SearchService(Searcher searcher) {
        this.searcher = searcher;
    }

    /** Searches for {@code term}; {@code limit} 0 means Docker's default, otherwise it must be 1 to 100. */
    public List<Searcher.Result> search(String term, int limit, Map<String, List<String>> filters,
            Credentials credentials) {
        int n = limit == 0 ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > 100) {
            throw new EngineException.InvalidArgument("limit " + n + " is outside the range of [1, 100]");
        }
        Predicate<Searcher.Result> keep = r -> true;
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            if (!FILTERS.contains(f.getKey())) {
                throw new EngineException.InvalidArgument("invalid filter '" + f.getKey() + "'");
            }
            for (String v : f.getValue()) {
                keep = keep.and(switch (f.getKey()) {
                    case "stars" -> {
                        int min = stars(v);
                        yield r -> r.starCount() >= min;
                    }
                    case "is-official" -> {
                        boolean want = bool(f.getKey(), v, f.getValue());
                        yield r -> r.official() == want;
                    }
                    default -> {
                        boolean want = bool(f.getKey(), v, f.getValue());
                        yield r -> r.automated() == want;
                    }
                });
            }
        }
        try {
            return searcher.search(term, n, credentials).stream().filter(keep).toList();
        } catch (RegistryException e) {
            throw PullService.translate(e);
        } catch (IOException e) {
            throw new EngineException.Internal(e.getMessage(), e);
        }
    }

    private static int stars(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidArgument("invalid filter 'stars=" + v + "'");
        }
    }

    private static boolean bool(String key, String v, List<String> all) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new EngineException.InvalidArgument("invalid filter '" + key + "=" + all + "'");
        }
        return v.equals("true");
    }
}
