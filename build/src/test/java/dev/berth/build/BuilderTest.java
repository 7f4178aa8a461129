package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Digest;
import dev.berth.store.LayerStore;
import dev.berth.store.OverlaySnapshotter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder over an in-memory host, for what needs no container or mount: the config and history each instruction
 * makes, variable rules, stage selection and the cache. RUN and COPY are covered end to end in tests/.
 */
class BuilderTest {
    @TempDir
    Path dir;
    private FakeHost host;
    private Builder builder;

    /** Images, cache and commits in maps. */
    static final class FakeHost implements BuildHost {
        final Map<String, Image> images = new HashMap<>();
        final Map<String, byte[]> cache = new HashMap<>();
        final Map<String, byte[]> committed = new HashMap<>();
        final Path scratch;

        FakeHost(Path scratch) {
            this.scratch = scratch;
        }

        @Override
        public Optional<Image> image(String ref) {
            return Optional.ofNullable(images.get(ref));
        }

        @Override
        public Optional<Image> pull(String ref) {
            return image(ref);
        }

        @Override
        public Container create(RunSpec spec) throws BuildException {
            throw new BuildException("no containers in unit tests");
        }

        @Override
        public List<String> commit(byte[] config, long size, String parentId, List<String> tags) {
            committed.put(Digest.sha256(config).toString(), config);
            return tags.stream().map(t -> t.contains(":") ? t : t + ":latest").toList();
        }

        @Override
        public void checkTag(String tag) throws BuildException {
            if (!tag.equals(tag.toLowerCase(java.util.Locale.ROOT))) {
                throw new BuildException("invalid reference format");
            }
        }

        @Override
        public Optional<byte[]> cached(String key) {
            return Optional.ofNullable(cache.get(key));
        }

        @Override
        public void remember(String key, byte[] config) {
            cache.put(key, config);
        }

        @Override
        public Path scratch() throws IOException {
            return Files.createDirectories(scratch);
        }

        @Override
        public Path cacheMounts() throws IOException {
            return Files.createDirectories(scratch.resolveSibling("cache-mounts"));
        }
    }

    /** What a build printed and produced. */
    record Result(String id, String output, JsonNode image) {}

    @BeforeEach
    void setUp() throws IOException {
        host = new FakeHost(dir.resolve("scratch"));
        LayerStore layers = new LayerStore(dir.resolve("data"));
        builder = new Builder(host, layers, new OverlaySnapshotter(layers),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        String base = "{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]},"
                + "\"created\":\"2025-01-01T00:00:00Z\",\"history\":[],\"os\":\"linux\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
        byte[] bytes = base.getBytes(StandardCharsets.UTF_8);
        host.images.put("busybox", new BuildHost.Image(Digest.sha256(bytes).toString(), bytes));
    }

    private Result build(String dockerfile, Map<String, String> args, String target) throws Exception {
        return build(dockerfile, args, target, List.of("t:1"));
    }

    private Result build(String dockerfile, Map<String, String> args, String target, List<String> tags)
            throws Exception {
        BuildOptions options = new BuildOptions(null, tags, args, target, false, Map.of(), false, null, null, false, false,
                false, Map.of());
        StringBuilder out = new StringBuilder();
        List<String> ids = new ArrayList<>();
        String id = builder.build(new ByteArrayInputStream(tar(Map.of("Dockerfile", dockerfile))), options,
                new BuildOutput() {
                    @Override
                    public void stream(String text) {
                        out.append(text);
                    }

                    @Override
                    public void imageId(String imageId) {
                        ids.add(imageId);
                    }
                });
        assertThat(ids).containsExactly(id);
        return new Result(id, out.toString(), StageState.JSON.readTree(host.committed.get(id)));
    }

    static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static List<String> history(JsonNode image) {
        List<String> out = new ArrayList<>();
        image.path("history").forEach(h -> out.add(h.path("created_by").asText()
                + (h.path("empty_layer").asBoolean() ? " (empty)" : "")));
        return out;
    }

    @Test
    void metadataInstructions_setTheConfig_andDockersHistoryText() throws Exception {
        Result r = build(String.join("\n", "FROM busybox", "LABEL version=v1.0.0 app=\"xavki app\"",
                "ENV FLASK_APP=app.py", "ENV LEGACY value with spaces", "WORKDIR /app", "WORKDIR sub",
                "USER 1000:1000", "EXPOSE 5000 53/udp", "VOLUME [\"/data\"]", "STOPSIGNAL SIGKILL",
                "ENTRYPOINT [\"ping\"]", "CMD [\"--help\"]", "MAINTAINER John", ""), Map.of(), null);
        JsonNode c = r.image().path("config");
        assertThat(c.path("Labels").path("version").asText()).isEqualTo("v1.0.0");
        assertThat(c.path("Labels").path("app").asText()).isEqualTo("xavki app");
        assertThat(c.path("Env").toString()).isEqualTo("[\"PATH=/bin\",\"FLASK_APP=app.py\",\"LEGACY=value with spaces\"]");
        assertThat(c.path("WorkingDir").asText()).isEqualTo("/app/sub");
        assertThat(c.path("User").asText()).isEqualTo("1000:1000");
        assertThat(c.path("ExposedPorts").has("5000/tcp")).isTrue();
        assertThat(c.path("ExposedPorts").has("53/udp")).isTrue();
        assertThat(c.path("Volumes").has("/data")).isTrue();
        assertThat(c.path("StopSignal").asText()).isEqualTo("SIGKILL");
        assertThat(c.path("Entrypoint").toString()).isEqualTo("[\"ping\"]");
        assertThat(c.path("Cmd").toString()).isEqualTo("[\"--help\"]");
        assertThat(r.image().path("author").asText()).isEqualTo("John");
        assertThat(history(r.image())).contains("/bin/sh -c #(nop)  CMD [\"--help\"] (empty)",
                "/bin/sh -c #(nop) WORKDIR /app (empty)", "/bin/sh -c #(nop)  ENTRYPOINT [\"ping\"] (empty)",
                "/bin/sh -c #(nop)  ENV FLASK_APP=app.py (empty)");
        assertThat(r.output()).contains("Step 1/13 : FROM busybox\n ---> ", "Step 13/13 : MAINTAINER John\n",
                "Successfully built " + r.id().substring(7, 19) + "\n", "Successfully tagged t:1\n");
    }

    @Test
    void shellForm_isWrappedInTheShell_andEntrypointResetsAnInheritedCmd() throws Exception {
        Result r = build("FROM busybox\nENTRYPOINT sleep infinity\n", Map.of(), null);
        assertThat(r.image().path("config").path("Entrypoint").toString())
                .isEqualTo("[\"/bin/sh\",\"-c\",\"sleep infinity\"]");
        assertThat(r.image().path("config").path("Cmd").isNull()).isTrue();
        Result s = build("FROM busybox\nSHELL [\"/bin/ash\", \"-eo\"]\nCMD echo hi\nENTRYPOINT [\"x\"]\n", Map.of(), null);
        assertThat(s.image().path("config").path("Cmd").toString()).isEqualTo("[\"/bin/ash\",\"-eo\",\"echo hi\"]");
        assertThat(history(s.image())).contains("/bin/sh -c #(nop)  CMD [\"/bin/ash\" \"-eo\" \"echo hi\"] (empty)");
    }

    @Test
    void healthcheck_storesTestAndDurations() throws Exception {
        Result r = build("FROM busybox\nHEALTHCHECK --interval=5s --timeout=1m30s --retries=3 CMD wget -q localhost\n",
                Map.of(), null);
        JsonNode hc = r.image().path("config").path("Healthcheck");
        assertThat(hc.path("Test").toString()).isEqualTo("[\"CMD-SHELL\",\"wget -q localhost\"]");
        assertThat(hc.path("Interval").asLong()).isEqualTo(5_000_000_000L);
        assertThat(hc.path("Timeout").asLong()).isEqualTo(90_000_000_000L);
        assertThat(hc.path("Retries").asInt()).isEqualTo(3);
        assertThatThrownBy(() -> build("FROM busybox\nHEALTHCHECK --interval=xs CMD true\n", Map.of(), null))
                .hasMessage("time: invalid duration \"xs\"");
    }

    @Test
    void args_expandWhereDockerExpands_andBuildArgsOverrideDefaults() throws Exception {
        String df = "ARG BASE=busybox\nFROM ${BASE}\nARG WHO=world\nARG BASE\nENV GREETING=\"hello $WHO\" FROM=$BASE\n"
                + "LABEL who=${WHO:-nobody} set=${UNSET:+yes}\nCMD echo $WHO\n";
        Result r = build(df, Map.of("WHO", "xavki"), null);
        JsonNode c = r.image().path("config");
        assertThat(c.path("Env").toString()).contains("GREETING=hello xavki", "FROM=busybox");
        assertThat(c.path("Labels").path("who").asText()).isEqualTo("xavki");
        assertThat(c.path("Labels").path("set").asText()).isEmpty();
        assertThat(c.path("Cmd").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"echo $WHO\"]"); // CMD does not expand
        assertThat(c.path("Env").toString()).doesNotContain("WHO="); // ARG values stay out of the image
    }

    @Test
    void unusedBuildArgs_areReported() throws Exception {
        Result r = build("FROM busybox\nLABEL a=b\n", Map.of("NOPE", "1"), null);
        assertThat(r.output()).contains("[Warning] One or more build-args [NOPE] were not consumed\n");
    }

    @Test
    void stageSelectedByBuildArg_andStagesTheTargetDoesNotNeedAreSkipped() throws Exception {
        String df = "ARG TYPE=development\nFROM busybox AS base\nLABEL base=yes\n"
                + "FROM base AS branche-version-development\nENV ENV=development\n"
                + "FROM base AS branche-version-production\nENV ENV=production\n"
                + "FROM branche-version-${TYPE} AS final\nLABEL final=yes\n";
        Result dev = build(df, Map.of(), null);
        assertThat(dev.image().path("config").path("Env").toString()).contains("ENV=development");
        assertThat(dev.output()).doesNotContain("ENV=production").contains("Step 6/6 : LABEL final=yes");
        Result prod = build(df, Map.of("TYPE", "production"), null);
        assertThat(prod.image().path("config").path("Env").toString()).contains("ENV=production");
        Result target = build(df, Map.of(), "base");
        assertThat(target.output()).contains("Step 2/2 : LABEL base=yes").doesNotContain("final");
        assertThatThrownBy(() -> build(df, Map.of(), "nosuch"))
                .hasMessage("failed to reach build target nosuch in Dockerfile");
    }

    @Test
    void onbuildTriggers_runInTheChildBuild() throws Exception {
        Result parent = build("FROM busybox\nONBUILD LABEL triggered=yes\n", Map.of(), null);
        assertThat(parent.image().path("config").path("OnBuild").toString()).isEqualTo("[\"LABEL triggered=yes\"]");
        host.images.put("parent", new BuildHost.Image(parent.id(), host.committed.get(parent.id())));
        Result child = build("FROM parent\nLABEL child=yes\n", Map.of(), null);
        assertThat(child.output()).contains("# Executing 1 build trigger\n");
        assertThat(child.image().path("config").path("Labels").path("triggered").asText()).isEqualTo("yes");
        assertThat(child.image().path("config").path("OnBuild").isNull()).isTrue();
    }

    @Test
    void cache_hitsOnAnUnchangedStep_andMissesFromTheFirstChangedOne() throws Exception {
        Result first = build("FROM busybox\nENV A=1\nLABEL b=2\n", Map.of(), null);
        assertThat(first.output()).doesNotContain("Using cache");
        Result again = build("FROM busybox\nENV A=1\nLABEL b=2\n", Map.of(), null);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.output().split("Using cache", -1)).hasSize(3);
        Result changed = build("FROM busybox\nENV A=2\nLABEL b=2\n", Map.of(), null);
        assertThat(changed.output()).doesNotContain("Using cache");
        assertThat(changed.id()).isNotEqualTo(first.id());
    }

    @Test
    void badInput_getsDockersErrors() {
        assertThatThrownBy(() -> build("FROM nosuch\n", Map.of(), null)).hasMessage("pull access denied for nosuch,"
                + " repository does not exist or may require 'docker login': denied: requested access to the resource"
                + " is denied");
        assertThatThrownBy(() -> build("", Map.of(), null)).hasMessage("the Dockerfile (Dockerfile) cannot be empty");
        assertThatThrownBy(() -> build("LABEL a=b\n", Map.of(), null)).hasMessage("no build stage in current context");
        assertThatThrownBy(() -> build("FROM busybox\nENV =x\n", Map.of(), null))
                .hasMessageContaining("ENV names can not be blank");
        assertThatThrownBy(() -> build("FROM busybox\nEXPOSE abc\n", Map.of(), null))
                .hasMessage("invalid containerPort: abc");
        assertThatThrownBy(() -> build("FROM busybox\n", Map.of(), null, List.of("Bad:Tag")))
                .hasMessage("invalid reference format");
        assertThat(host.committed).isEmpty();
    }

    @Test
    void runMounts_areCheckedAsBuildKitChecksThem() {
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        errors.put("type=sekret,id=x", "unsupported mount type \"sekret\"");
        errors.put("type=cache,target=/c,colour=red", "unexpected key 'colour' in 'colour=red'");
        errors.put("type=bind,target=/c,mode=0600", "mode not allowed for \"bind\" type mounts");
        errors.put("type=bind,target=/c,required", "unexpected key 'required' for mount type 'bind'");
        errors.put("type=bind,target=/c,sharing=locked", "invalid cache sharing set for bind mount");
        errors.put("type=cache,target=/c,sharing=odd", "unsupported sharing value \"odd\"");
        errors.put("type=cache,target=/c,uid=x", "invalid value x for uid");
        errors.put("type=secret,id=x,from=stage", "secret mount should not have a from");
        errors.put("type=secret", "invalid secret mount. one of source, target required");
        errors.put("type=secret,id=x,source=y", "both source and id can't be set");
        errors.put("type=cache,target=/", "invalid mount target \"/\"");
        errors.put("type=bind,target=/c,ro=maybe", "invalid value for ro: maybe");
        errors.put("type=bind,target=/c,novalue", "invalid field 'novalue' must be a key=value pair");
        errors.forEach((mount, message) -> assertThatThrownBy(
                () -> build("FROM busybox\nRUN --mount=" + mount + " true\n", Map.of(), null))
                .hasMessage("dockerfile parse error on line 2: " + message));
        assertThatThrownBy(() -> build("FROM busybox\nRUN --network=none true\n", Map.of(), null))
                .hasMessage("dockerfile parse error on line 2: the --network option of RUN is not supported by the"
                        + " classic builder");
        assertThat(host.committed).isEmpty();
    }

    @Test
    void platformArgs_areSet_andAnImageOfAnotherPlatformIsRefused() throws Exception {
        Result r = build("FROM --platform=$BUILDPLATFORM busybox\nARG TARGETPLATFORM\nARG TARGETARCH\n"
                + "LABEL p=$TARGETPLATFORM a=$TARGETARCH\n", Map.of(), null);
        JsonNode labels = r.image().path("config").path("Labels");
        assertThat(labels.path("p").asText() + " " + labels.path("a").asText()).isEqualTo("linux/amd64 amd64");
        assertThatThrownBy(() -> build("FROM --platform=linux/arm64 busybox\n", Map.of(), null))
                .hasMessage("image with reference busybox was found but does not match the specified platform:"
                        + " wanted linux/arm64, actual: linux/amd64");
    }
}
