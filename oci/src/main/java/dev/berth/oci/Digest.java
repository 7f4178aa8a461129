package dev.berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it: {@code algorithm ":" encoded}, e.g. {@code sha256:2cf24d...}. Only
 * sha256 (64 lowercase hex) and sha512 (128 lowercase hex) are accepted, as in the spec's registered algorithms.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        boolean valid = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> throw new IllegalArgumentException("unsupported digest algorithm: " + algorithm);
        };
        if (!valid) {
            throw new IllegalArgumentException("invalid checksum digest format: " + algorithm + ":" + hex);
        }
    }

    /** Parses {@code sha256:<hex>}; throws {@link IllegalArgumentException} with Docker's wording otherwise. */
    public static Digest parse(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid checksum digest format");
        }
        return new Digest(s.substring(0, colon), s.substring(colon + 1));
    }

    public static Digest sha256(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
    }

    /** The digest a finished {@link MessageDigest} of {@link #newSha256()} holds. */
    public static Digest sha256Of(MessageDigest finished) {
        return new Digest("sha256", HexFormat.of().formatHex(finished.digest()));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
