package dev.berth.daemon.routes;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps as the Engine API writes them. */
final class Times {
    /** Go's zero time, which Docker prints for "never". */
    static final String NEVER = "0001-01-01T00:00:00Z";
    /** RFC 3339 with exactly nine fractional digits, as in Docker's log timestamps. */
    static final DateTimeFormatter FIXED_NANOS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    /** RFC3339Nano as Go prints it: trailing zeros of the fraction dropped. */
    static String rfc3339(Instant t) {
        return t == null ? NEVER : t.toString();
    }

    /** Parses the API's "sec.nanos" or "sec" form; null or empty gives null. */
    static Instant parseUnix(String s) {
        if (s == null || s.isEmpty() || s.equals("0")) {
            return null;
        }
        int dot = s.indexOf('.');
        if (dot < 0) {
            return Instant.ofEpochSecond(Long.parseLong(s));
        }
        String frac = (s.substring(dot + 1) + "000000000").substring(0, 9);
        return Instant.ofEpochSecond(Long.parseLong(s.substring(0, dot)), Long.parseLong(frac));
    }
}
