package dev.berth.build;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code HEALTHCHECK [--interval=..] [--timeout=..] [--start-period=..] [--start-interval=..] [--retries=N] CMD ...}
 * or {@code HEALTHCHECK NONE}. Durations are stored in nanoseconds, as Docker's image config does.
 */
final class HealthcheckInstruction implements InstructionExecutor {
    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        String args = in.args();
        String first = args.split("\\s+")[0].toUpperCase(Locale.ROOT);
        ObjectNode hc = StageState.JSON.createObjectNode();
        List<String> test = new ArrayList<>();
        if (first.equals("NONE")) {
            if (!args.strip().equalsIgnoreCase("NONE") || !in.flags().isEmpty()) {
                throw BuildException.parse(in.line(), "HEALTHCHECK NONE takes no arguments");
            }
            test.add("NONE");
        } else if (first.equals("CMD")) {
            Instruction cmd = DockerfileParser.instruction("CMD " + args.strip().substring(3).strip(), in.line(), '\\');
            if (cmd.isJson()) {
                test.add("CMD");
                test.addAll(cmd.json());
            } else {
                test.add("CMD-SHELL");
                test.add(cmd.args());
            }
            duration(in, "interval", hc, "Interval");
            duration(in, "timeout", hc, "Timeout");
            duration(in, "start-period", hc, "StartPeriod");
            duration(in, "start-interval", hc, "StartInterval");
            if (in.flag("retries").isPresent()) {
                try {
                    int retries = Integer.parseInt(in.flag("retries").get());
                    if (retries < 0) {
                        throw new BuildException("--retries cannot be negative (" + retries + ")");
                    }
                    hc.put("Retries", retries);
                } catch (NumberFormatException e) {
                    throw new BuildException("strconv.ParseInt: parsing \"" + in.flag("retries").get()
                            + "\": invalid syntax");
                }
            }
        } else {
            throw BuildException.parse(in.line(), "Unknown type \"" + first + "\" in HEALTHCHECK (try CMD)");
        }
        hc.set("Test", StageState.array(test));
        return Step.config(Step.nop("HEALTHCHECK &{" + GoQuote.list(test) + "}"),
                s -> s.config().set("Healthcheck", hc));
    }

    private static void duration(Instruction in, String flag, ObjectNode hc, String field) throws BuildException {
        if (in.flag(flag).isEmpty()) {
            return;
        }
        String v = in.flag(flag).get();
        Duration d = GoDuration.parse(v);
        if (d == null) {
            throw new BuildException("time: invalid duration \"" + v + "\"");
        }
        if (!d.isZero() && d.toMillis() < 1) {
            throw new BuildException("Interval \"" + flag + "\" cannot be less than 1ms");
        }
        hc.put(field, d.toNanos());
    }
}
