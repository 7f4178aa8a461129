package dev.berth.oci;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference, parsed and normalised the way Docker's {@code ParseNormalizedNamed} does
 * (github.com/distribution/reference): {@code busybox} becomes {@code docker.io/library/busybox:latest}.
 *
 * <p>{@code tag} is null only when a digest pins the image and no tag was given; a reference with neither gets the
 * default tag, as Docker's {@code TagNameOnly} would, so every reference names exactly one image.
 */
public record Reference(String domain, String path, String tag, Digest digest) {
    private static final String DEFAULT_DOMAIN = "docker.io";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final String DEFAULT_TAG = "latest";
    private static final int MAX_PATH_LENGTH = 255;

    // Grammar from distribution/reference regexp.go. Path components are lowercase only; domains are not.
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String PATH = COMPONENT + "(?:/" + COMPONENT + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    private static final String TAG = "\\w[\\w.-]{0,127}";
    // Docker's syntactic digest check; Digest.parse then enforces the registered algorithms and hex lengths.
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    private static final Pattern PATH_PATTERN = Pattern.compile(PATH);
    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern TAG_PATTERN = Pattern.compile(TAG);
    /** Everything after the domain: {@code path[:tag][@digest]}. */
    private static final Pattern REMAINDER = Pattern.compile("(" + PATH + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    /** A bare image ID; Docker refuses it as a name so that IDs and names cannot be confused. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");

    public Reference {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(path, "path");
        if (!DOMAIN_PATTERN.matcher(domain).matches() || !PATH_PATTERN.matcher(path).matches()) {
            throw new IllegalArgumentException("invalid reference format");
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new IllegalArgumentException(
                    "repository name must not be more than " + MAX_PATH_LENGTH + " characters");
        }
        if (tag != null && !TAG_PATTERN.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag format");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
    }

    /** Parses a reference as the docker CLI accepts it, with Docker's error messages. */
    public static Reference parse(String s) {
        if (IDENTIFIER.matcher(s).matches()) {
            throw new IllegalArgumentException(
                    "invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings");
        }
        String[] split = splitDockerDomain(s);
        String domain = split[0];
        String remainder = split[1];
        // Docker checks case on the text before the first ':' so the message can name the repository; note that for
        // a digest without a tag this includes "@algorithm", exactly as Docker reports it.
        int colon = remainder.indexOf(':');
        String remote = colon < 0 ? remainder : remainder.substring(0, colon);
        if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
            throw new IllegalArgumentException(
                    "invalid reference format: repository name (" + remote + ") must be lowercase");
        }
        Matcher m = REMAINDER.matcher(remainder);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid reference format");
        }
        Digest digest = m.group(3) == null ? null : Digest.parse(m.group(3));
        // Docker would accept a "domain" like "a_b.c" by re-reading it as a path component and leave the reference
        // without a domain; no registry can serve that, so the constructor rejects the domain instead.
        return new Reference(domain, m.group(1), m.group(2), digest);
    }

    /**
     * Docker's splitDockerDomain: the first component is a registry if it is "localhost", looks like a host (has '.'
     * or ':'), or has uppercase letters (repository paths never do); otherwise the image lives on Docker Hub, where
     * single-component names are official images under "library/".
     */
    private static String[] splitDockerDomain(String name) {
        int slash = name.indexOf('/');
        String domain = DEFAULT_DOMAIN;
        String remainder = name;
        if (slash >= 0) {
            String first = name.substring(0, slash);
            if (first.equals(LEGACY_DEFAULT_DOMAIN)) {
                remainder = name.substring(slash + 1);
            } else if (first.equals("localhost") || first.contains(".") || first.contains(":")
                    || !first.toLowerCase(Locale.ROOT).equals(first)) {
                domain = first;
                remainder = name.substring(slash + 1);
            }
        }
        if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
            remainder = OFFICIAL_PREFIX + remainder;
        }
        return new String[] {domain, remainder};
    }

    /** The fully qualified repository name, e.g. {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** Docker's FamiliarName: Docker Hub's domain and official "library/" prefix dropped, e.g. {@code busybox}. */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        // Only a single component after "library/" is shortened, so the familiar form parses back to this reference.
        if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return path.substring(OFFICIAL_PREFIX.length());
        }
        return path;
    }

    /** Docker's FamiliarString, the form the docker CLI prints, e.g. {@code busybox:latest}. */
    public String familiar() {
        return withSuffixes(familiarName());
    }

    /** The same repository and digest with another tag. */
    public Reference withTag(String newTag) {
        Objects.requireNonNull(newTag, "tag");
        return new Reference(domain, path, newTag, digest);
    }

    /** The same repository and tag without the digest; a digest-only reference gets the default tag. */
    public Reference withoutDigest() {
        return new Reference(domain, path, tag, null);
    }

    /** The fully qualified form, e.g. {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return withSuffixes(name());
    }

    private String withSuffixes(String repository) {
        StringBuilder sb = new StringBuilder(repository);
        if (tag != null) {
            sb.append(':').append(tag);
        }
        if (digest != null) {
            sb.append('@').append(digest);
        }
        return sb.toString();
    }
}
