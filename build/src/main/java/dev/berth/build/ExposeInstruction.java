package dev.berth.build;

import java.util.ArrayList;
import java.util.List;

/** {@code EXPOSE 80 443/udp 8000-8002}: ports recorded in the image, "tcp" when no protocol is given. */
final class ExposeInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        List<String> ports = new ArrayList<>();
        for (String p : ctx.expandWords(in.args())) {
            String proto = p.contains("/") ? p.substring(p.indexOf('/') + 1).toLowerCase(java.util.Locale.ROOT) : "tcp";
            String range = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
            if (!range.matches("\\d+(-\\d+)?") || !List.of("tcp", "udp", "sctp").contains(proto)) {
                throw new BuildException("invalid containerPort: " + range);
            }
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
            for (int port = from; port <= to; port++) {
                ports.add(port + "/" + proto);
            }
        }
        return Step.config(Step.nop("EXPOSE " + String.join(" ", ports)), s -> {
            for (String p : ports) {
                s.config().withObjectProperty("ExposedPorts").putObject(p);
            }
        });
    }
}
