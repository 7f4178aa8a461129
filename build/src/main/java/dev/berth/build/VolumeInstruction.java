package dev.berth.build;

import java.util.ArrayList;
import java.util.List;

/** {@code VOLUME /data} or {@code VOLUME ["/data"]}: mount points every container of the image gets a volume at. */
final class VolumeInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        List<String> volumes = new ArrayList<>();
        if (in.isJson()) {
            for (String v : in.json()) {
                volumes.add(ctx.expand(v));
            }
        } else {
            volumes.addAll(ctx.expandWords(in.args()));
        }
        for (String v : volumes) {
            if (v.isBlank()) {
                throw new BuildException("VOLUME specified can not be an empty string");
            }
        }
        return Step.config(Step.nop("VOLUME [" + String.join(" ", volumes) + "]"), s -> {
            for (String v : volumes) {
                s.config().withObjectProperty("Volumes").putObject(v);
            }
        });
    }
}
