package dev.berth.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.store.LayerStore;
import dev.berth.store.OverlaySnapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs a Dockerfile build the way Docker's classic builder does, step by step with its output, but skipping the stages
 * the target does not need.
 *
 * <p>For each instruction: the executor prepares a {@link Step} (expanded, checked, with its cache text); the cache key
 * is {@code sha256(parent image ID + cache text)}, and a parent's ID covers everything before it (config, layers,
 * history), so a hit needs an unchanged parent, instruction, args/env and, for COPY/ADD, unchanged sources. A hit
 * reuses the stored result; a miss applies the step and stores its result. Only the final image is stored as an
 * image; intermediate results live in the build cache.
 */
public final class Builder {
    private static final String DEFAULT_DOCKERFILE = "Dockerfile";

    private final BuildHost host;
    private final LayerStore layers;
    private final OverlaySnapshotter snapshots;
    private final Clock clock;

    public Builder(BuildHost host, LayerStore layers, OverlaySnapshotter snapshots, Clock clock) {
        this.host = host;
        this.layers = layers;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** Builds from a context tar; returns the image ID. Temporary files are gone when it returns or throws. */
    public String build(InputStream context, BuildOptions options, BuildOutput out) throws BuildException {
        for (String t : options.tags()) {
            host.checkTag(t);
        }
        Path dir;
        Path contextDir;
        Path tmp;
        try {
            dir = Files.createTempDirectory(host.scratch(), "build-");
            contextDir = Files.createDirectory(dir.resolve("context"));
            tmp = Files.createDirectory(dir.resolve("tmp"));
        } catch (IOException e) {
            throw new BuildException("cannot make a build directory: " + e.getMessage(), 1, false, e);
        }
        try {
            ContextArchive.unpack(context, contextDir);
            return new Run(contextDir, tmp, options, out).build();
        } finally {
            try {
                CopyInstruction.deleteTree(dir);
            } catch (IOException e) {
                // left for the daemon's start-up, which empties the build scratch directory
            }
        }
    }

    /** One build: its stages, the output, and what the stages built so far. */
    private final class Run {
        private final Path contextDir;
        private final Path tmp;
        private final BuildOptions options;
        private final BuildOutput out;
        private final BuildOutput visible;
        private final Map<Integer, StageState> built = new HashMap<>();
        private final Map<String, Integer> stageNames = new HashMap<>();
        private final Set<String> usedArgs = new HashSet<>();
        private final Map<String, String> metaArgs = new LinkedHashMap<>();
        private Dockerfile dockerfile;
        private int stepNumber;
        private int totalSteps;

        Run(Path contextDir, Path tmp, BuildOptions options, BuildOutput out) {
            this.contextDir = contextDir;
            this.tmp = tmp;
            this.options = options;
            this.out = out;
            this.visible = options.quiet() ? new BuildOutput() {
                @Override
                public void stream(String text) {
                }

                @Override
                public void imageId(String id) {
                    out.imageId(id);
                }
            } : out;
        }

        String build() throws BuildException {
            dockerfile = DockerfileParser.parse(readDockerfile());
            if (dockerfile.instructions().isEmpty()) {
                throw new BuildException("the Dockerfile (" + dockerfileName() + ") cannot be empty");
            }
            for (Instruction in : dockerfile.metaArgs()) {
                if (!in.keyword().equals("ARG")) {
                    throw new BuildException("no build stage in current context");
                }
                metaArg(in);
            }
            List<Dockerfile.Stage> stages = dockerfile.stages();
            if (stages.isEmpty()) {
                throw new BuildException("no build stage in current context");
            }
            for (Dockerfile.Stage s : stages) {
                stageName(s).ifPresent(n -> stageNames.putIfAbsent(n, s.index()));
            }
            int target = stages.size() - 1;
            if (options.target() != null && !options.target().isEmpty()) {
                Integer t = stageNames.get(options.target().toLowerCase(Locale.ROOT));
                if (t == null) {
                    throw new BuildException("failed to reach build target " + options.target() + " in Dockerfile");
                }
                target = t;
            }
            Set<Integer> needed = new TreeSet<>();
            need(stages, target, needed);
            for (int i : needed) {
                totalSteps += 1 + stages.get(i).body().size();
            }
            List<Instruction> extra = labelInstructions();
            totalSteps += extra.size();
            StageState result = null;
            for (int i : needed) {
                Dockerfile.Stage stage = stages.get(i);
                List<Instruction> body = new ArrayList<>(stage.body());
                if (i == target) {
                    body.addAll(extra);
                }
                result = buildStage(stage, body);
                built.put(i, result);
            }
            Set<String> unused = new TreeSet<>(options.buildArgs().keySet());
            unused.removeAll(usedArgs);
            unused.removeAll(metaArgs.keySet());
            unused.removeAll(RunInstruction.PROXY_ARGS);
            if (!unused.isEmpty()) {
                visible.stream("[Warning] One or more build-args [" + String.join(" ", unused)
                        + "] were not consumed\n");
            }
            String id = result.id();
            List<String> tagged = host.commit(result.bytes(), size(result.chainIds), result.baseImageId, options.tags());
            out.imageId(id);
            if (options.quiet()) {
                out.stream(id + "\n");
            }
            visible.stream("Successfully built " + Digest.parse(id).hex().substring(0, 12) + "\n");
            for (String t : tagged) {
                visible.stream("Successfully tagged " + t + "\n");
            }
            return id;
        }

        private String dockerfileName() {
            return options.dockerfile() == null || options.dockerfile().isEmpty() ? DEFAULT_DOCKERFILE
                    : options.dockerfile();
        }

        private String readDockerfile() throws BuildException {
            String name = dockerfileName();
            try {
                if (RootPath.escapes(name)) {
                    throw new BuildException("Cannot locate specified Dockerfile: " + name);
                }
                Path p = RootPath.resolve(contextDir, name);
                if (!Files.isRegularFile(p) && name.equals(DEFAULT_DOCKERFILE)) {
                    p = RootPath.resolve(contextDir, "dockerfile");
                }
                if (!Files.isRegularFile(p)) {
                    throw new BuildException("Cannot locate specified Dockerfile: " + name);
                }
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BuildException("Cannot locate specified Dockerfile: " + name, 1, true, e);
            }
        }

        private void metaArg(Instruction in) throws BuildException {
            String word = in.args();
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? null : ShellLex.word(word.substring(eq + 1), metaArgs, dockerfile.escape());
            if (options.buildArgs().containsKey(name)) {
                value = options.buildArgs().get(name);
            }
            if (value != null) {
                metaArgs.put(name, value);
            }
        }

        private Optional<String> stageName(Dockerfile.Stage s) {
            String[] words = s.from().args().split("\\s+");
            return words.length == 3 ? Optional.of(words[2].toLowerCase(Locale.ROOT)) : Optional.empty();
        }

        private String baseName(Dockerfile.Stage s) throws BuildException {
            String name = ShellLex.word(s.from().args().split("\\s+")[0], metaArgs, dockerfile.escape());
            if (name.isEmpty()) {
                throw BuildException.parse(s.from().line(), "base name (" + s.from().args().split("\\s+")[0]
                        + ") should not be blank");
            }
            return name;
        }

        /** The stages {@code index} needs: its FROM stage and its COPY --from stages, recursively. */
        private void need(List<Dockerfile.Stage> stages, int index, Set<Integer> needed) throws BuildException {
            if (!needed.add(index)) {
                return;
            }
            Dockerfile.Stage s = stages.get(index);
            Integer base = stageNames.get(baseName(s).toLowerCase(Locale.ROOT));
            if (base != null && base < index) {
                need(stages, base, needed);
            }
            for (Instruction in : s.body()) {
                if (!in.keyword().equals("COPY") || in.flag("from").isEmpty()) {
                    continue;
                }
                Integer dep = stageRef(ShellLex.word(in.flag("from").get(), metaArgs, dockerfile.escape()), index);
                if (dep != null) {
                    need(stages, dep, needed);
                }
            }
        }

        /** The stage a --from value names (by name, or by an index before the current stage), else null. */
        private Integer stageRef(String from, int current) throws BuildException {
            Integer byName = stageNames.get(from.toLowerCase(Locale.ROOT));
            if (byName != null && byName < current) {
                return byName;
            }
            if (from.matches("\\d+")) {
                int i = Integer.parseInt(from);
                if (i >= current) {
                    throw new BuildException("invalid from flag value " + from
                            + ": refers to current build stage or a later one");
                }
                return i;
            }
            return null;
        }

        private List<String> sourceLayers(String from, int current) throws BuildException {
            Integer stage = stageRef(from, current);
            if (stage != null) {
                return built.get(stage).chainIds;
            }
            BuildHost.Image image = host.image(from).orElseThrow(() -> pullError(from));
            return layers.chainIds(StageState.diffIdsOf(StageState.parse(image.config())));
        }

        private BuildException pullError(String ref) {
            String repo = ref.contains("@") ? ref.substring(0, ref.indexOf('@'))
                    : ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref.substring(0, ref.lastIndexOf(':')) : ref;
            return new BuildException("pull access denied for " + repo + ", repository does not exist or may require"
                    + " 'docker login': denied: requested access to the resource is denied");
        }

        private List<Instruction> labelInstructions() {
            if (options.labels() == null || options.labels().isEmpty()) {
                return List.of();
            }
            List<String> pairs = new ArrayList<>();
            options.labels().forEach((k, v) -> pairs.add(GoQuote.string(k) + "=" + GoQuote.string(v)));
            String text = "LABEL " + String.join(" ", pairs);
            return List.of(new Instruction("LABEL", List.of(), text.substring(6), null, List.of(), 0, text));
        }

        private StageState buildStage(Dockerfile.Stage stage, List<Instruction> body) throws BuildException {
            Instruction from = stage.from();
            step(from);
            if (from.flag("platform").isPresent()) {
                String platform = ShellLex.word(from.flag("platform").get(), metaArgs, dockerfile.escape());
                if (!platform.isEmpty() && !platform.startsWith("linux/amd64") && !platform.equals("linux")) {
                    throw new BuildException("image with reference " + baseName(stage)
                            + " was found but does not match the specified platform: wanted " + platform
                            + ", actual: linux/amd64");
                }
            }
            String base = baseName(stage);
            String name = stageName(stage).orElse(null);
            StageState state;
            Integer earlier = stageNames.get(base.toLowerCase(Locale.ROOT));
            if (earlier != null && earlier < stage.index()) {
                StageState parent = built.get(earlier);
                state = new StageState(name, stage.index(), parent.image.deepCopy(), parent.chainIds);
                state.baseImageId = parent.baseImageId;
            } else if (base.equals("scratch")) {
                state = new StageState(name, stage.index(), StageState.scratch(), List.of());
            } else {
                BuildHost.Image image = host.image(base).orElseThrow(() -> pullError(base));
                ObjectNode config = StageState.parse(image.config());
                state = new StageState(name, stage.index(), config, layers.chainIds(StageState.diffIdsOf(config)));
                state.baseImageId = image.id();
            }
            visible.stream(" ---> " + (base.equals("scratch") ? "" : shortId(state.id())) + "\n");
            StepContext ctx = new StepContext(state, buildContext());
            runTriggers(ctx);
            boolean parentMissed = false;
            for (Instruction in : body) {
                step(in);
                parentMissed = runStep(in, ctx, parentMissed);
            }
            return state;
        }

        private void step(Instruction in) {
            stepNumber++;
            visible.stream("Step " + stepNumber + "/" + totalSteps + " : " + in.original() + "\n");
        }

        private StepContext.Build buildContext() {
            return new StepContext.Build(host, layers, snapshots, contextDir, tmp, dockerfile.escape(), options,
                    options.buildArgs(), usedArgs, visible, clock, this::sourceLayers);
        }

        /** ONBUILD triggers of the base image run first, then are cleared from the new image. */
        private void runTriggers(StepContext ctx) throws BuildException {
            JsonNode triggers = ctx.state.config().path("OnBuild");
            if (!triggers.isArray() || triggers.isEmpty()) {
                return;
            }
            List<Instruction> list = new ArrayList<>();
            for (JsonNode t : triggers) {
                list.add(DockerfileParser.instruction(t.asText(), 0, dockerfile.escape()));
            }
            ctx.state.config().putNull("OnBuild");
            visible.stream("# Executing " + list.size() + " build trigger" + (list.size() == 1 ? "" : "s") + "\n");
            boolean missed = false;
            for (Instruction in : list) {
                missed = runStep(in, ctx, missed);
            }
        }

        /** Runs one instruction, from the cache when possible; returns whether it missed the cache. */
        private boolean runStep(Instruction in, StepContext ctx, boolean parentMissed) throws BuildException {
            StageState state = ctx.state;
            Step step = executor(in).prepare(in, ctx);
            String key = Digest.sha256((state.id() + "\n" + step.cacheText()).getBytes(StandardCharsets.UTF_8))
                    .toString();
            boolean hit = false;
            if (!options.noCache()) {
                Optional<byte[]> cached = host.cached(key);
                if (cached.isPresent()) {
                    ObjectNode image = StageState.parse(cached.get());
                    List<String> chain = layers.chainIds(StageState.diffIdsOf(image));
                    if (chain.stream().allMatch(layers::exists)) {
                        state.image = image;
                        state.chainIds = chain;
                        hit = true;
                    }
                }
            }
            if (hit) {
                visible.stream(" ---> Using cache\n");
            } else {
                if (options.progressPlain()) {
                    visible.stream(" ---> Cache miss: " + (options.noCache() ? "--no-cache was given"
                            : parentMissed ? "an earlier step changed"
                            : in.keyword().equals("COPY") || in.keyword().equals("ADD")
                                    ? "no earlier build with these source files" : "no earlier build of this step")
                            + "\n");
                }
                try {
                    step.apply(ctx);
                } catch (IOException e) {
                    throw new BuildException(in.keyword() + " failed: " + e.getMessage(), 1, false, e);
                }
                host.remember(key, state.bytes());
            }
            step.always(state);
            visible.stream(" ---> " + shortId(state.id()) + "\n");
            return !hit;
        }

        private InstructionExecutor executor(Instruction in) {
            return switch (in.keyword()) {
                case "ENV" -> new EnvInstruction();
                case "LABEL" -> new LabelInstruction();
                case "MAINTAINER" -> new MaintainerInstruction();
                case "WORKDIR" -> new WorkdirInstruction();
                case "USER" -> new UserInstruction();
                case "EXPOSE" -> new ExposeInstruction();
                case "VOLUME" -> new VolumeInstruction();
                case "STOPSIGNAL" -> new StopsignalInstruction();
                case "SHELL" -> new ShellInstruction();
                case "CMD" -> new CmdInstruction();
                case "ENTRYPOINT" -> new EntrypointInstruction();
                case "ONBUILD" -> new OnbuildInstruction();
                case "HEALTHCHECK" -> new HealthcheckInstruction();
                case "ARG" -> new ArgInstruction(metaArgs);
                case "RUN" -> new RunInstruction();
                case "COPY" -> new CopyInstruction(false);
                case "ADD" -> new CopyInstruction(true);
                default -> throw new IllegalStateException("no executor for " + in.keyword());
            };
        }
    }

    private static String shortId(String id) {
        return Digest.parse(id).hex().substring(0, 12);
    }

    /** The image's size as Docker reports it: the bytes of file content in its layers. */
    private long size(List<String> chainIds) throws BuildException {
        long total = 0;
        for (String chain : chainIds) {
            try (Stream<Path> walk = Files.walk(layers.diffDir(chain))) {
                for (Path p : walk.toList()) {
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        total += Files.size(p);
                    }
                }
            } catch (IOException e) {
                throw new BuildException("cannot measure layer " + chain + ": " + e.getMessage(), 1, false, e);
            }
        }
        return total;
    }
}
