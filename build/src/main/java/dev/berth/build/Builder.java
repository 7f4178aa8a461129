package dev.berth.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Platform;
import dev.berth.store.LayerStore;
import dev.berth.store.OverlaySnapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
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
    private final CacheMounts cacheMounts;

    public Builder(BuildHost host, LayerStore layers, OverlaySnapshotter snapshots, Clock clock) {
        this.host = host;
        this.layers = layers;
        this.snapshots = snapshots;
        this.clock = clock;
        this.cacheMounts = new CacheMounts(host);
    }

    /** What {@link #pruneCacheMounts} removed: the cache directories' names and the bytes they held. */
    public record PrunedCache(List<String> deleted, long spaceReclaimed) {}

    /**
     * A {@code RUN --mount=type=cache} directory: its name (the hash of its ID), the bytes its files hold, when it was
     * made and last used, and whether a running step uses it.
     */
    public record CacheEntry(String id, long size, Instant createdAt, Instant lastUsedAt, boolean inUse) {}

    /** The {@code RUN --mount=type=cache} directories, for {@code system df}. */
    public List<CacheEntry> cacheMounts() throws IOException {
        return cacheMounts.list();
    }

    /**
     * {@code builder prune}: removes the {@code RUN --mount=type=cache} directories that no running step uses and that
     * were last used before {@code until} (null: any time), least recently used first, until at most {@code keepBytes}
     * are left (0: all of them).
     */
    public PrunedCache pruneCacheMounts(Instant until, long keepBytes) throws IOException {
        return cacheMounts.prune(until, keepBytes);
    }

    /**
     * Builds from a context tar; returns the image ID (null for {@code --check}, which builds nothing). Temporary files
     * are gone when it returns or throws.
     */
    public String build(InputStream context, BuildOptions options, BuildOutput out) throws BuildException {
        return build(contextDir -> ContextArchive.unpack(context, contextDir), options, out);
    }

    /**
     * Builds from a context the daemon downloads ({@code POST /build?remote=URL}): a tar (plain, gzip or bzip2) is the
     * context; anything else is taken as the Dockerfile alone, as Docker does.
     */
    public String buildRemote(String url, BuildOptions options, BuildOutput out) throws BuildException {
        return build(contextDir -> RemoteContext.fetch(url, contextDir, options.dockerfile() == null
                || options.dockerfile().isEmpty() ? DEFAULT_DOCKERFILE : options.dockerfile()), options, out);
    }

    /** Fills the context directory. */
    @FunctionalInterface
    private interface ContextSource {
        void fill(Path contextDir) throws BuildException;
    }

    private String build(ContextSource context, BuildOptions options, BuildOutput out) throws BuildException {
        for (String t : options.tags()) {
            host.checkTag(t);
        }
        Platform target = platform(options.platform());
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
            context.fill(contextDir);
            return new Run(contextDir, tmp, options, out, target).build();
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
        private final Map<Integer, StageState> built = new ConcurrentHashMap<>();
        private final Map<String, Integer> stageNames = new HashMap<>();
        private final Set<String> usedArgs = ConcurrentHashMap.newKeySet();
        private final Map<String, String> metaArgs = new LinkedHashMap<>();
        private Dockerfile dockerfile;
        private final Map<Integer, Set<Integer>> dependencies = new HashMap<>();
        private final Map<Integer, CompletableFuture<StageState>> stageResults = new ConcurrentHashMap<>();
        private int totalSteps;
        /** The --platform asked for, or null. */
        private final Platform targetPlatform;

        Run(Path contextDir, Path tmp, BuildOptions options, BuildOutput out, Platform targetPlatform) {
            this.contextDir = contextDir;
            this.tmp = tmp;
            this.options = options;
            this.out = out;
            this.targetPlatform = targetPlatform;
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
            if (options.check()) {
                return check();
            }
            platformArgs("BUILD", Platform.host());
            platformArgs("TARGET", targetPlatform == null ? Platform.host() : targetPlatform);
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
            StageState result = buildStages(stages, needed, target, extra);
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

        /** {@code --check}: the findings, and a failure when there are any; no image is built. */
        private String check() throws BuildException {
            List<DockerfileLint.Warning> warnings = DockerfileLint.check(dockerfile);
            for (DockerfileLint.Warning w : warnings) {
                out.stream(w + "\n");
            }
            if (!warnings.isEmpty()) {
                throw new BuildException("Check complete, " + warnings.size() + " warning"
                        + (warnings.size() == 1 ? " has" : "s have") + " been found!");
            }
            out.stream("Check complete, no warnings found.\n");
            return null;
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

        /** BuildKit's automatic platform args ($BUILDPLATFORM, $TARGETARCH...), usable in FROM and by ARG. */
        private void platformArgs(String prefix, Platform p) {
            metaArgs.put(prefix + "PLATFORM", p.toString());
            metaArgs.put(prefix + "OS", p.os());
            metaArgs.put(prefix + "ARCH", p.architecture());
            metaArgs.put(prefix + "VARIANT", p.variant());
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
            Set<Integer> deps = dependencies.computeIfAbsent(index, k -> new HashSet<>());
            Integer base = stageNames.get(baseName(s).toLowerCase(Locale.ROOT));
            if (base != null && base < index) {
                deps.add(base);
                need(stages, base, needed);
            }
            for (Instruction in : s.body()) {
                for (String from : sourceStages(in)) {
                    Integer dep = stageRef(ShellLex.word(from, metaArgs, dockerfile.escape()), index);
                    if (dep != null) {
                        deps.add(dep);
                        need(stages, dep, needed);
                    }
                }
            }
        }

        /** The {@code from} values of COPY --from and RUN --mount=...,from=..., as written. */
        private List<String> sourceStages(Instruction in) {
            List<String> out = new ArrayList<>();
            if (in.keyword().equals("COPY")) {
                in.flag("from").ifPresent(out::add);
            } else if (in.keyword().equals("RUN")) {
                for (String mount : in.flagValues("mount")) {
                    for (String field : mount.split(",")) {
                        if (field.toLowerCase(Locale.ROOT).startsWith("from=")) {
                            out.add(field.substring(5));
                        }
                    }
                }
            }
            return out;
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
                return awaitStage(stage).chainIds;
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

        private StageState buildStage(Dockerfile.Stage stage, List<Instruction> body, StageProgress progress)
                throws BuildException {
            Instruction from = stage.from();
            progress.step(from);
            Platform wanted = targetPlatform;
            if (from.flag("platform").isPresent()) {
                String platform = ShellLex.word(from.flag("platform").get(), metaArgs, dockerfile.escape());
                wanted = platform.isEmpty() ? wanted : platform(platform);
            }
            String base = baseName(stage);
            String name = stageName(stage).orElse(null);
            StageState state;
            Integer earlier = stageNames.get(base.toLowerCase(Locale.ROOT));
            if (earlier != null && earlier < stage.index()) {
                StageState parent = awaitStage(earlier);
                state = new StageState(name, stage.index(), parent.image.deepCopy(), parent.chainIds);
                state.baseImageId = parent.baseImageId;
            } else if (base.equals("scratch")) {
                if (wanted != null && !wanted.equals(Platform.host())) {
                    throw new BuildException("cannot build for platform " + wanted + ": this daemon builds for "
                            + Platform.host() + " only");
                }
                state = new StageState(name, stage.index(), StageState.scratch(), List.of());
            } else {
                BuildHost.Image image = (options.pull() ? host.pull(base) : host.image(base))
                        .orElseThrow(() -> pullError(base));
                ObjectNode config = StageState.parse(image.config());
                Platform actual = new Platform(config.path("os").asText("linux"),
                        config.path("architecture").asText(""), config.path("variant").asText(""));
                if (wanted != null && !(wanted.os().equals(actual.os())
                        && wanted.architecture().equals(actual.architecture())
                        && (wanted.variant().isEmpty() || wanted.variant().equals(actual.variant())))) {
                    throw new BuildException("image with reference " + base
                            + " was found but does not match the specified platform: wanted " + wanted
                            + ", actual: " + actual);
                }
                state = new StageState(name, stage.index(), config, layers.chainIds(StageState.diffIdsOf(config)));
                state.baseImageId = image.id();
            }
            progress.out().stream(" ---> " + (base.equals("scratch") ? "" : shortId(state.id())) + "\n");
            StepContext ctx = new StepContext(state, buildContext(progress.out()));
            runTriggers(ctx);
            boolean parentMissed = false;
            for (Instruction in : body) {
                progress.step(in);
                parentMissed = runStep(in, ctx, parentMissed);
            }
            return state;
        }

        /** A stage's output and its step numbers, which are fixed before the stages run. */
        private final class StageProgress {
            private final BuildOutput out;
            private int next;

            StageProgress(BuildOutput out, int first) {
                this.out = out;
                this.next = first;
            }

            BuildOutput out() {
                return out;
            }

            void step(Instruction in) {
                out.stream("Step " + next++ + "/" + totalSteps + " : " + in.original() + "\n");
            }
        }

        /**
         * Runs the needed stages, each on its own virtual thread as soon as the stages it uses are built, so
         * independent stages build in parallel. Their output is shown in stage order ({@link OrderedOutput}). The
         * first failure, in stage order, is the build's; stages that need a failed stage do not run.
         */
        private StageState buildStages(List<Dockerfile.Stage> stages, Set<Integer> needed, int target,
                List<Instruction> extra) throws BuildException {
            List<Integer> order = new ArrayList<>(needed);
            OrderedOutput ordered = new OrderedOutput(visible, order);
            int first = 1;
            List<Thread> threads = new ArrayList<>();
            for (int i : order) {
                stageResults.put(i, new CompletableFuture<>());
            }
            for (int i : order) {
                Dockerfile.Stage stage = stages.get(i);
                List<Instruction> body = new ArrayList<>(stage.body());
                if (i == target) {
                    body.addAll(extra);
                }
                StageProgress progress = new StageProgress(ordered.forStage(i), first);
                first += 1 + body.size();
                threads.add(Thread.ofVirtual().name("build-stage-" + i).start(() -> {
                    try {
                        for (int dep : dependencies.getOrDefault(i, Set.of())) {
                            stageResults.get(dep).join();
                        }
                        StageState state = buildStage(stage, body, progress);
                        built.put(i, state);
                        stageResults.get(i).complete(state);
                    } catch (BuildException | RuntimeException e) {
                        stageResults.get(i).completeExceptionally(e);
                    } finally {
                        ordered.finished(i);
                    }
                }));
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BuildException("interrupted while building", 1, false, e);
                }
            }
            for (int i : order) {
                try {
                    stageResults.get(i).join();
                } catch (CompletionException e) {
                    Throwable cause = e.getCause();
                    while (cause instanceof CompletionException c && c.getCause() != null) {
                        cause = c.getCause();
                    }
                    if (cause instanceof BuildException b) {
                        throw b;
                    }
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new BuildException(String.valueOf(cause), 1, false, cause);
                }
            }
            return stageResults.get(target).join();
        }

        /** The result of a stage this one uses, once that stage is built. */
        private StageState awaitStage(int index) throws BuildException {
            CompletableFuture<StageState> f = stageResults.get(index);
            if (f == null) {
                throw new BuildException("stage " + index + " is not part of this build");
            }
            try {
                return f.join();
            } catch (CompletionException e) {
                throw new BuildException("stage " + index + " failed", 1, true, e.getCause());
            }
        }

        private StepContext.Build buildContext(BuildOutput out) {
            return new StepContext.Build(host, layers, snapshots, contextDir, tmp, dockerfile.escape(), options,
                    options.buildArgs(), usedArgs, out, clock, this::sourceLayers, cacheMounts);
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
            ctx.build.out().stream("# Executing " + list.size() + " build trigger" + (list.size() == 1 ? "" : "s") + "\n");
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
                ctx.build.out().stream(" ---> Using cache\n");
            } else {
                if (options.progressPlain()) {
                    ctx.build.out().stream(" ---> Cache miss: " + (options.noCache() ? "--no-cache was given"
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
            ctx.build.out().stream(" ---> " + shortId(state.id()) + "\n");
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

    /** A --platform value, or null when none is given; Docker's message for one that cannot be read. */
    private static Platform platform(String value) throws BuildException {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Platform.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BuildException(e.getMessage());
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
