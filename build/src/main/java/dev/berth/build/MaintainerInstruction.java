package dev.berth.build;

/** {@code MAINTAINER name} (deprecated in Docker, still honoured): the image's author. */
final class MaintainerInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) {
        String author = in.args();
        return Step.config(Step.nop("MAINTAINER " + author), s -> s.image.put("author", author));
    }
}
