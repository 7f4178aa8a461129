package dev.berth.build;

/** {@code ONBUILD <instruction>}: a trigger stored in the image, run by builds that start FROM it. */
final class OnbuildInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) {
        String trigger = in.args();
        return Step.config(Step.nop("ONBUILD " + trigger), s -> s.config().withArrayProperty("OnBuild").add(trigger));
    }
}
