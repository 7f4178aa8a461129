package dev.berth.build;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Output of stages that build at the same time, shown as if they had built one after another: the earliest unfinished
 * stage streams live, later ones are held until every stage before them has finished.
 */
final class OrderedOutput {
    private final BuildOutput out;
    private final List<Integer> order;
    private final Map<Integer, StringBuilder> held = new HashMap<>();
    private final Set<Integer> finished = new HashSet<>();
    private int current;

    OrderedOutput(BuildOutput out, List<Integer> order) {
        this.out = out;
        this.order = order;
    }

    BuildOutput forStage(int stage) {
        return new BuildOutput() {
            @Override
            public void stream(String text) {
                write(stage, text);
            }

            @Override
            public void imageId(String id) {
                out.imageId(id);
            }
        };
    }

    private synchronized void write(int stage, String text) {
        if (current < order.size() && order.get(current) == stage) {
            out.stream(text);
        } else {
            held.computeIfAbsent(stage, k -> new StringBuilder()).append(text);
        }
    }

    synchronized void finished(int stage) {
        finished.add(stage);
        while (current < order.size() && finished.contains(order.get(current))) {
            current++;
            if (current < order.size()) {
                StringBuilder pending = held.remove(order.get(current));
                if (pending != null) {
                    out.stream(pending.toString());
                }
            }
        }
    }
}
