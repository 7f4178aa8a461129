package dev.berth.build;

import java.util.ArrayList;
import java.util.List;

/** {@code LABEL k=v ...}: image labels; later values win. */
final class LabelInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        List<String[]> pairs = ctx.pairs(in, true);
        List<String> text = new ArrayList<>();
        for (String[] p : pairs) {
            text.add(p[0] + "=" + p[1]);
        }
        return Step.config(Step.nop("LABEL " + String.join(" ", text)), s -> {
            for (String[] p : pairs) {
                s.config().withObjectProperty("Labels").put(p[0], p[1]);
            }
        });
    }
}
