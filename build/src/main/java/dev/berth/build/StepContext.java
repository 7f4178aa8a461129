package dev.berth.build;

import dev.berth.store.LayerStore;
import dev.berth.store.OverlaySnapshotter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What an instruction sees while it is prepared and applied: its stage, the build, and the engine below. */
final class StepContext {
    final StageState state;
    final Build build;

    /** The parts of the running build that outlive one stage; {@code tmp} is emptied when the build ends. */
    record Build(BuildHost host, LayerStore layers, OverlaySnapshotter snapshots, Path contextDir, Path tmp, char escape,
            BuildOptions options, Map<String, String> buildArgs, Set<String> usedArgs, BuildOutput out, Clock clock,
            SourceResolver sources, CacheMounts cacheMounts) {}

    /** Finds what COPY --from names: an earlier stage (by name or index) or a local image. */
    @FunctionalInterface
    interface SourceResolver {
        /** The layers of the stage or image, bottom first. */
        List<String> layers(String from, int currentStage) throws BuildException;
    }

    StepContext(StageState state, Build build) {
        this.state = state;
        this.build = build;
    }

    Instant now() {
        return build.clock().instant();
    }

    String expand(String word) throws BuildException {
        return ShellLex.word(word, state.expansionEnv(), build.escape());
    }

    List<String> expandWords(String text) throws BuildException {
        return ShellLex.words(text, state.expansionEnv(), build.escape());
    }

    /**
     * The {@code key=value} pairs of ENV, LABEL and ARG, each expanded as a word; with {@code legacy}, the old
     * {@code ENV key value with spaces} form too.
     */
    List<String[]> pairs(Instruction in, boolean legacy) throws BuildException {
        List<String> words = ShellLex.rawWords(in.args(), build.escape());
        List<String[]> out = new ArrayList<>();
        if (words.isEmpty()) {
            throw BuildException.parse(in.line(), in.keyword() + " requires at least one argument");
        }
        if (legacy && !words.getFirst().contains("=")) {
            String key = words.getFirst();
            String rest = in.args().substring(in.args().indexOf(key) + key.length()).strip();
            if (rest.isEmpty()) {
                throw BuildException.parse(in.line(), in.keyword() + " must have two arguments");
            }
            out.add(new String[] {key, expand(rest)});
            return out;
        }
        for (String w : words) {
            String expanded = expand(w);
            int eq = expanded.indexOf('=');
            if (eq < 0) {
                throw BuildException.parse(in.line(), "Syntax error - can't find = in \"" + w
                        + "\". Must be of the form: name=value");
            }
            if (eq == 0) {
                throw BuildException.parse(in.line(), in.keyword() + " names can not be blank");
            }
            out.add(new String[] {expanded.substring(0, eq), expanded.substring(eq + 1)});
        }
        return out;
    }
}
