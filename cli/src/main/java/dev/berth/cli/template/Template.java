package dev.berth.cli.template;

import dev.berth.cli.template.Node.ListNode;
import java.util.Map;

/**
 * Go's text/template, with docker's extra functions, for {@code --format}.
 *
 * <p>Language: text and {@code {{actions}}}, trim markers {@code {{- -}}}, comments, pipelines, variables,
 * if/else if/else, range (slices, maps in key order, integers; else, break, continue), with, define, template,
 * block; Go literals; the functions {@code and or not eq ne lt le gt ge len index slice print printf println html js
 * urlquery call} and docker's {@code json split join title lower upper pad truncate}.
 *
 * <p>Data model, how Java values stand for Go values:
 * <ul>
 * <li>{@link java.util.Map}: a Go map with string keys. {@code .key} reads an entry; a missing key is an error
 *     ({@code map has no entry for key "X"}) in {@link MissingKey#ERROR} mode, the default here, and prints
 *     {@code <no value>} in {@link MissingKey#NO_VALUE} mode (Go's own default, used by docker's list formats);
 *     printed {@code map[k1:v1 k2:v2]} with keys sorted; ranged over in key order.</li>
 * <li>{@link GoStruct}: a struct with ordered fields; printed {@code {v1 v2}}; an unknown field is an error
 *     {@code can't evaluate field X in type T}.</li>
 * <li>Records and other objects: {@code .Name} calls the public method named exactly {@code Name} (record
 *     accessors included, so docker-style formatter contexts are classes with methods {@code ID()},
 *     {@code Names()}, {@code Label(String)}), else reads a public field; records print like structs.</li>
 * <li>{@link java.util.List}, other collections and arrays: Go slices, printed {@code [a b c]}.</li>
 * <li>String, Boolean, Long/Integer (Go int), Double (Go float64, printed as %v: {@code 1.5}, {@code 1e+06}).</li>
 * <li>{@code null}: nil; printed {@code <no value>} by an action and {@code <nil>} inside slices, maps and
 *     structs, as Go does for nil interfaces.</li>
 * <li>{@link java.util.function.Supplier}, {@link java.util.function.Function},
 *     {@link java.util.function.BiFunction}: function values for {@code call}.</li>
 * </ul>
 * {@link JsonModel} turns Engine API JSON into this model.
 *
 * <p>A Template is immutable and can be executed any number of times.
 */
public final class Template {
    /** What reading a missing map key gives, as Go's {@code missingkey} option. */
    public enum MissingKey {
        /** Go's default: the missing value, printed {@code <no value>}. */
        NO_VALUE,
        /** {@code missingkey=error}: execution fails with {@code map has no entry for key "X"}. */
        ERROR
    }

    private final String text;
    private final Map<String, ListNode> trees;
    private final MissingKey missingKey;

    private Template(String text, Map<String, ListNode> trees, MissingKey missingKey) {
        this.text = text;
        this.trees = trees;
        this.missingKey = missingKey;
    }

    /** Parses template text; errors read like Go's, e.g. {@code template: :1: unclosed action}. */
    public static Template parse(String text) throws TemplateException {
        return new Template(text, Map.copyOf(Parser.parse(text)), MissingKey.ERROR);
    }

    /** The same template with another missing-key behaviour. */
    public Template withMissingKey(MissingKey mode) {
        return new Template(text, trees, mode);
    }

    /** Executes the template against the data and returns the output. */
    public String execute(Object data) throws TemplateException {
        StringBuilder out = new StringBuilder();
        run(data, missingKey == MissingKey.ERROR, false, out);
        return out.toString();
    }

    /**
     * Renders a table header as docker does: the data is the header context (usually a map from field name to
     * column title), {@code json split join title lower upper truncate} return their argument unchanged, missing
     * keys print {@code <no value>}, and an error ends the header where it happened instead of failing (docker
     * ignores the header's execution error).
     */
    public String executeHeader(Object header) {
        StringBuilder out = new StringBuilder();
        try {
            run(header, false, true, out);
        } catch (TemplateException e) {
            // Like docker: keep what was written before the error.
        }
        return out.toString();
    }

    private void run(Object data, boolean missingKeyError, boolean header, StringBuilder out)
        throws TemplateException {
        Executor executor = new Executor(text, trees, missingKeyError, header, out);
        try {
            executor.execute(data);
        } catch (StackOverflowError e) {
            throw executor.error("exceeded maximum template depth (" + Executor.MAX_DEPTH + ")");
        }
    }
}
