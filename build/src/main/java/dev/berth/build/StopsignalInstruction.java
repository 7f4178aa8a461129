package dev.berth.build;

/** {@code STOPSIGNAL SIGKILL}: the signal {@code stop} sends to the image's containers. */
final class StopsignalInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        String signal = ctx.expand(in.args());
        if (!signal.matches("(?i)(SIG)?[A-Z0-9+-]+") ) {
            throw new BuildException("Invalid signal: " + signal);
        }
        return Step.config(Step.nop("STOPSIGNAL " + signal), s -> s.config().put("StopSignal", signal));
    }
}
