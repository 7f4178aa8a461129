package dev.berth.build;

import java.util.List;

/**
 * {@code ENTRYPOINT}: the image's fixed command. As in Docker, it resets a CMD inherited from the base image (a CMD set
 * earlier in the same stage stays).
 */
final class EntrypointInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) {
        List<String> entrypoint = CmdInstruction.command(in, ctx.state);
        boolean keepCmd = ctx.state.cmdSet;
        return Step.config(Step.nop("ENTRYPOINT " + GoQuote.list(entrypoint)), s -> {
            s.config().set("Entrypoint", StageState.array(entrypoint));
            if (!keepCmd) {
                s.config().putNull("Cmd");
            }
        });
    }
}
