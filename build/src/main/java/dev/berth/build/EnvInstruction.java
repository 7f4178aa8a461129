package dev.berth.build;

import java.util.ArrayList;
import java.util.List;

/** {@code ENV k=v ...} and the legacy {@code ENV k v}: set in the image, visible to later steps and containers. */
final class EnvInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        List<String[]> pairs = ctx.pairs(in, true);
        List<String> text = new ArrayList<>();
        for (String[] p : pairs) {
            text.add(p[0] + "=" + p[1]);
        }
        return Step.config(Step.nop("ENV " + String.join(" ", text)), s -> {
            for (String[] p : pairs) {
                s.setEnv(p[0], p[1]);
            }
        });
    }
}
