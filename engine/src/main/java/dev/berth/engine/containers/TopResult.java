package dev.berth.engine.containers;

import java.util.List;

/** {@code docker top}'s answer: ps's column titles and one row per process of the container. */
public record TopResult(List<String> titles, List<List<String>> processes) {
    public TopResult {
        titles = List.copyOf(titles);
        processes = processes.stream().map(List::copyOf).toList();
    }
}
