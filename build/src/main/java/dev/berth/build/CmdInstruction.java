package dev.berth.build;

import java.util.ArrayList;
import java.util.List;

/** {@code CMD}: the image's default command (arguments to the ENTRYPOINT when there is one); shell form is wrapped. */
final class CmdInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) {
        List<String> cmd = command(in, ctx.state);
        Step config = Step.config(Step.nop("CMD " + GoQuote.list(cmd)), s -> s.config().set("Cmd", StageState.array(cmd)));
        return new Step() {
            @Override
            public String cacheText() {
                return config.cacheText();
            }

            @Override
            public void apply(StepContext c) throws BuildException, java.io.IOException {
                config.apply(c);
            }

            @Override
            public void always(StageState state) {
                state.cmdSet = true;
            }
        };
    }

    /** The exec form as written, or the shell form wrapped in the stage's SHELL. */
    static List<String> command(Instruction in, StageState state) {
        if (in.isJson()) {
            return in.json();
        }
        List<String> out = new ArrayList<>(state.shell());
        out.add(in.args());
        return out;
    }
}
