package dev.berth.build;

/**
 * {@code ARG name[=default]}: a build-time variable, from --build-arg when given, else the default (or the value of
 * the same ARG before the first FROM). Visible to later instructions of the stage and to RUN's environment, never
 * stored in the image's Env.
 */
final class ArgInstruction implements InstructionExecutor {
    private final java.util.Map<String, String> metaArgs;

    ArgInstruction(java.util.Map<String, String> metaArgs) {
        this.metaArgs = metaArgs;
    }

    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        String word = in.args();
        String name;
        String value;
        int eq = word.indexOf('=');
        if (eq >= 0) {
            name = word.substring(0, eq);
            value = ctx.expand(word.substring(eq + 1));
        } else {
            name = word;
            value = metaArgs.get(name);
        }
        if (name.isEmpty()) {
            throw BuildException.parse(in.line(), "ARG names can not be blank");
        }
        if (ctx.build.buildArgs().containsKey(name)) {
            value = ctx.build.buildArgs().get(name);
            ctx.build.usedArgs().add(name);
        }
        String resolved = value;
        String text = Step.nop("ARG " + (eq >= 0 ? name + "=" + ctx.expand(word.substring(eq + 1)) : name));
        Step config = Step.config(text, s -> { });
        return new Step() {
            @Override
            public String cacheText() {
                return text + (resolved == null ? "" : "\n" + name + "=" + resolved);
            }

            @Override
            public void apply(StepContext c) throws BuildException, java.io.IOException {
                config.apply(c);
            }

            @Override
            public void always(StageState state) {
                if (resolved != null) {
                    state.args.put(name, resolved);
                } else {
                    state.args.remove(name);
                }
            }
        };
    }
}
