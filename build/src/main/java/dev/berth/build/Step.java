package dev.berth.build;

import java.io.IOException;

/**
 * One instruction ready to run: everything expanded and checked, nothing changed yet. The builder looks
 * {@link #cacheText} up in the build cache (with the parent image's ID); on a miss it calls {@link #apply}, which
 * changes the stage's image (config, a layer, a history entry). {@link #always} runs on hits and misses alike, for the
 * state that lives outside the image (declared ARGs, whether CMD was set).
 */
interface Step {
    String cacheText();

    void apply(StepContext ctx) throws BuildException, IOException;

    default void always(StageState state) {
    }

    /** A step that changes only the image config: an empty layer in the history. */
    static Step config(String createdBy, ConfigChange change) {
        return new Step() {
            @Override
            public String cacheText() {
                return createdBy;
            }

            @Override
            public void apply(StepContext ctx) throws BuildException {
                change.apply(ctx.state);
                ctx.state.addHistory(createdBy, true, ctx.now());
            }
        };
    }

    /** A change to the stage's image config. */
    @FunctionalInterface
    interface ConfigChange {
        void apply(StageState state) throws BuildException;
    }

    /** Docker's history text for a step that changes only the config. */
    static String nop(String text) {
        return "/bin/sh -c #(nop)  " + text;
    }
}
