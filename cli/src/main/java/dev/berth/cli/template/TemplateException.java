package dev.berth.cli.template;

import java.io.Serial;

/**
 * A template that does not parse or fails while executing. The message is worded as Go's text/template words it,
 * e.g. {@code template: :1: function "foo" not defined} or
 * {@code template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"}; docker prefixes it with
 * "template parsing error: " and so should the CLI.
 */
public final class TemplateException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }

    static TemplateException parse(String templateName, int line, String message) {
        return new TemplateException("template: " + templateName + ":" + line + ": " + message);
    }
}
