package dev.berth.build;

/** {@code SHELL ["/bin/bash", "-c"]}: the shell that wraps the shell form of later RUN, CMD and ENTRYPOINT. */
final class ShellInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) {
        return Step.config(Step.nop("SHELL [" + String.join(" ", in.json()) + "]"),
                s -> s.config().set("Shell", StageState.array(in.json())));
    }
}
