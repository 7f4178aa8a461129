package dev.berth.oci;

import java.util.Locale;
import java.util.Objects;

/** An OS/architecture[/variant] triple, normalised as containerd's {@code platforms.Normalize} does. */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null ? "" : variant;
    }

    /** The platform this JVM runs on, as Go names it. */
    public static Platform host() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return normalise("linux", arch, "");
    }

    /** Parses {@code linux/arm64}, {@code linux/arm/v7}, {@code arm64}; Docker's message otherwise. */
    public static Platform parse(String s) {
        String[] parts = s.toLowerCase(Locale.ROOT).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("invalid platform specifier \"" + s + "\"");
            }
        }
        return switch (parts.length) {
            case 1 -> parts[0].equals("linux") ? host() : normalise("linux", parts[0], "");
            case 2 -> normalise(parts[0], parts[1], "");
            case 3 -> normalise(parts[0], parts[1], parts[2]);
            default -> throw new IllegalArgumentException("invalid platform specifier \"" + s
                    + "\": too many path components");
        };
    }

    private static Platform normalise(String os, String arch, String variant) {
        String a = switch (arch) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "i386", "i686", "386" -> "386";
            case "armhf" -> "arm";
            case "armel" -> "arm";
            default -> arch;
        };
        String v = variant;
        if (a.equals("arm64") && (v.equals("v8") || v.equals("8"))) {
            v = "";
        } else if (a.equals("arm") && v.isEmpty()) {
            v = arch.equals("armel") ? "v6" : "v7";
        } else if (a.equals("arm") && v.matches("[5-8]")) {
            v = "v" + v;
        }
        return new Platform(os, a, v);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
