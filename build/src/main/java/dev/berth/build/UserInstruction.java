package dev.berth.build;

/** {@code USER name[:group]}: who later RUN steps and the image's containers run as. */
final class UserInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        String user = ctx.expand(in.args());
        return Step.config(Step.nop("USER " + user), s -> s.config().put("User", user));
    }
}
