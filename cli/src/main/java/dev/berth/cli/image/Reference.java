package dev.berth.cli.image;

import java.util.regex.Pattern;

/**
 * A "repo[:tag]" as typed, split at the tag colon (a colon after the last slash, so "host:5000/app" has no tag),
 * with docker's lowercase/charset check. The daemon normalises names; the CLI only splits and validates.
 */
public record Reference(String repository, String tag) {
    private static final Pattern NAME = Pattern.compile(
            "^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$");
    private static final Pattern TAG = Pattern.compile("^[\\w][\\w.-]{0,127}$");

    public static Reference split(String ref) {
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return new Reference(ref.substring(0, colon), ref.substring(colon + 1));
        }
        return new Reference(ref, null);
    }

    public boolean valid() {
        return NAME.matcher(repository).matches() && (tag == null || TAG.matcher(tag).matches());
    }
}
