package dev.berth.daemon.http;

/** An Engine API version such as 1.44, compared numerically (1.9 &lt; 1.10). */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    public static final ApiVersion MAX = new ApiVersion(1, 44);
    public static final ApiVersion MIN = new ApiVersion(1, 24);
    /** The engine version shown by {@code version} and in the Server header. */
    public static final String ENGINE_VERSION = "25.0.0-berth";

    public static ApiVersion parse(String s) {
        int dot = s.indexOf('.');
        if (dot < 0) {
            return new ApiVersion(Integer.parseInt(s), 0);
        }
        return new ApiVersion(Integer.parseInt(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1)));
    }

    public boolean lessThan(ApiVersion other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
