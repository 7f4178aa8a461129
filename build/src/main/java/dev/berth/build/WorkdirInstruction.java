package dev.berth.build;

/**
 * {@code WORKDIR path}: relative paths build on the previous working directory. The directory itself is made by the
 * next step that needs it (RUN's container, COPY's destination) or by the runtime when a container starts.
 */
final class WorkdirInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        String dir = ctx.expand(in.args());
        String resolved = dir.startsWith("/") ? dir : (ctx.state.workingDir().isEmpty() ? "/" : ctx.state.workingDir())
                + "/" + dir;
        String clean = java.nio.file.Path.of(resolved).normalize().toString();
        return Step.config("/bin/sh -c #(nop) WORKDIR " + clean, s -> s.config().put("WorkingDir", clean));
    }
}
