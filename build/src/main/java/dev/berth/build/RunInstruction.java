package dev.berth.build;

import dev.berth.store.LayerStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code RUN}: runs the command in a build container on the stage's layers (shell form wrapped in the SHELL), streams
 * its output, and stores the container's upper dir as the step's layer. The build args the stage declared are in the
 * command's environment (ENV wins over an ARG of the same name) and, as in Docker's history, prefix the created_by
 * text as {@code |N K=v ...}. A non-zero exit fails the build; the container is removed either way. Its
 * {@code --mount}s ({@link RunMounts}) are in the cache key but not in the history, as in BuildKit.
 */
final class RunInstruction implements InstructionExecutor {
    /** Build args Docker passes to RUN without an ARG declaring them. */
    static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    @Override
    public Step prepare(Instruction in, StepContext ctx) throws BuildException {
        for (String flag : in.flags()) {
            if (!flag.startsWith("--mount=")) {
                throw BuildException.parse(in.line(), "the --" + flag.substring(2).split("=")[0]
                        + " option of RUN is not supported by the classic builder");
            }
        }
        List<RunMounts.Spec> mountSpecs = RunMounts.parse(in, ctx);
        List<String> argv = argv(in, ctx.state);
        Map<String, String> args = new LinkedHashMap<>(ctx.state.args);
        for (String proxy : PROXY_ARGS) {
            String v = ctx.build.buildArgs().get(proxy);
            if (v != null && !args.containsKey(proxy)) {
                args.put(proxy, v);
                ctx.build.usedArgs().add(proxy);
            }
        }
        List<String> env = new ArrayList<>(ctx.state.env());
        Map<String, String> imageEnv = ctx.state.envMap();
        List<String> argText = new ArrayList<>();
        for (Map.Entry<String, String> a : args.entrySet()) {
            argText.add(a.getKey() + "=" + a.getValue());
            if (!imageEnv.containsKey(a.getKey())) {
                env.add(a.getKey() + "=" + a.getValue());
            }
        }
        String createdBy = (argText.isEmpty() ? "" : "|" + argText.size() + " " + String.join(" ", argText) + " ")
                + String.join(" ", argv);
        String cacheText = createdBy + RunMounts.cacheText(mountSpecs, ctx);
        return new Step() {
            @Override
            public String cacheText() {
                return cacheText;
            }

            @Override
            public void apply(StepContext c) throws BuildException, IOException {
                StageState s = c.state;
                LayerStore.Layer layer;
                String shortId;
                try (RunMounts mounts = RunMounts.open(mountSpecs, c)) {
                    BuildHost.RunSpec spec = new BuildHost.RunSpec(s.id(), s.chainIds, argv, env, s.user(),
                            s.workingDir(), c.build.options().effectiveNetwork(), mounts.mounts(), mounts.env());
                    try (BuildHost.Container container = c.build.host().create(spec)) {
                        shortId = container.id().substring(0, 12);
                        c.build.out().stream(" ---> Running in " + shortId + "\n");
                        int code = container.run(new StreamOut(c.build.out(), c.build.options().quiet()));
                        if (code != 0) {
                            throw new BuildException("The command '" + String.join(" ", argv)
                                    + "' returned a non-zero code: " + code, code, true, null);
                        }
                        List<Path> lower = new ArrayList<>();
                        for (String chain : s.chainIds) {
                            lower.add(c.build.layers().diffDir(chain));
                        }
                        RunMounts.removeStubs(mounts.mounts(), container.upperDir(), lower);
                        layer = DiffLayer.store(c.build.layers(), container.upperDir(),
                                s.chainIds.isEmpty() ? null : s.chainIds.getLast());
                    }
                }
                c.build.out().stream("Removing intermediate container " + shortId + "\n");
                s.addLayer(layer.diffId(), layer.chainId());
                s.addHistory(createdBy, false, c.now());
            }
        };
    }

    /** The process: exec form as written; shell form (with its here-documents) wrapped in the SHELL. */
    static List<String> argv(Instruction in, StageState state) {
        if (in.isJson()) {
            return in.json();
        }
        List<String> argv = new ArrayList<>(state.shell());
        String cmd = in.args();
        if (!in.heredocs().isEmpty()) {
            Instruction.Heredoc only = in.heredocs().getFirst();
            if (in.heredocs().size() == 1 && cmd.strip().matches("<<-?\\s*[\"']?" + java.util.regex.Pattern.quote(only.name())
                    + "[\"']?")) {
                cmd = only.content(); // "RUN <<EOF": the document is the script
            } else {
                StringBuilder script = new StringBuilder(cmd).append('\n');
                for (Instruction.Heredoc h : in.heredocs()) {
                    script.append(h.content()).append(h.name()).append('\n');
                }
                cmd = script.toString(); // the shell reads its own here-documents
            }
        }
        argv.add(cmd);
        return argv;
    }

    /** A RUN step's output, passed on as it arrives (and dropped with -q, as Docker does). */
    private static final class StreamOut extends OutputStream {
        private final BuildOutput out;
        private final boolean quiet;

        StreamOut(BuildOutput out, boolean quiet) {
            this.out = out;
            this.quiet = quiet;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (!quiet) {
                out.stream(new String(b, off, len, StandardCharsets.UTF_8));
            }
        }
    }
}
