package dev.berth.build;

import java.util.List;

/**
 * A parsed Dockerfile: the instructions in order and the escape character its {@code # escape=} directive chose.
 * {@code metaArgs} are the ARG instructions before the first FROM, {@code stages} each FROM and what follows it.
 */
public record Dockerfile(List<Instruction> instructions, char escape) {

    /** One build stage: its FROM and the instructions after it, up to the next FROM. */
    public record Stage(int index, Instruction from, List<Instruction> body) {}

    public List<Instruction> metaArgs() {
        return instructions.stream().takeWhile(i -> !i.keyword().equals("FROM")).toList();
    }

    public List<Stage> stages() {
        List<Stage> stages = new java.util.ArrayList<>();
        Instruction from = null;
        List<Instruction> body = new java.util.ArrayList<>();
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from, List.copyOf(body)));
                }
                from = i;
                body = new java.util.ArrayList<>();
            } else if (from != null) {
                body.add(i);
            }
        }
        if (from != null) {
            stages.add(new Stage(stages.size(), from, List.copyOf(body)));
        }
        return stages;
    }
}
