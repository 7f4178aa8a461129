package dev.berth.cli.format;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** go-units HumanDuration, Go's time.ParseDuration, and docker's timetypes.GetTimestamp for --since/--until. */
public final class Durations {
    private static final Pattern TIME = Pattern.compile(
        "(\\d{4})-(\\d{2})-(\\d{2})(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?)?)?(Z|z|[+-]\\d{2}:\\d{2})?");

    private Durations() {
    }

    /** go-units HumanDuration: "Less than a second", "About a minute", "3 hours", "2 weeks", "2 years"... */
    public static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = d.toMinutes();
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        // Go rounds to the nearest hour here, halves away from zero.
        long hours = d.plusMinutes(30).toHours();
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return d.toHours() / 24 / 365 + " years";
    }

    /**
     * Go's time.ParseDuration: a signed sequence of decimal numbers with units ns, us, µs, ms, s, m, h
     * ({@code 10s}, {@code 1h30m}, {@code 1.5h}); "0" alone is zero.
     *
     * @throws IllegalArgumentException {@code time: invalid duration "x"} (or unknown unit / missing unit)
     */
    public static Duration parseDuration(String value) {
        String s = value;
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration " + quote(value));
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            int start = at;
            while (at < s.length() && (Character.isDigit(s.charAt(at)) || s.charAt(at) == '.')) {
                at++;
            }
            String number = s.substring(start, at);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw new IllegalArgumentException("time: invalid duration " + quote(value));
            }
            int unitStart = at;
            while (at < s.length() && s.charAt(at) != '.' && !Character.isDigit(s.charAt(at))) {
                at++;
            }
            String unit = s.substring(unitStart, at);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(value));
            }
            long scale = switch (unit) {
                case "ns" -> 1L;
                case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException("time: unknown unit " + quote(unit) + " in duration "
                    + quote(value));
            };
            nanos = nanos.add(new BigDecimal(number.endsWith(".") ? number + "0" : number)
                .multiply(BigDecimal.valueOf(scale)));
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("time: invalid duration " + quote(value));
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }

    /**
     * docker's timetypes.GetTimestamp: the API form of a --since/--until value. A duration ({@code 10m}) is
     * subtracted from the reference and given in whole seconds; a date or RFC 3339 time (local zone unless it
     * has one) becomes {@code seconds.nanoseconds}; a unix timestamp passes through unchanged.
     *
     * @throws IllegalArgumentException when the value is none of these
     */
    public static String timestamp(String value, Instant reference, ZoneId zone) {
        if (!value.equals("0")) {
            try {
                return Long.toString(reference.minus(parseDuration(value)).getEpochSecond());
            } catch (IllegalArgumentException notADuration) {
                // Not a duration: try a time.
            }
        }
        Matcher m = TIME.matcher(value);
        if (m.matches()) {
            try {
                return format(toInstant(m, reference, zone));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("parsing time " + quote(value) + ": " + e.getMessage(), e);
            }
        }
        if (value.contains("-")) {
            throw new IllegalArgumentException("parsing time " + quote(value) + ": cannot parse " + quote(value)
                + " as a date or RFC 3339 time");
        }
        if (!value.matches("[+-]?\\d+(\\.[+-]?\\d+)?")) {
            throw new IllegalArgumentException("failed to parse value as time or duration: " + quote(value));
        }
        return value;
    }

    private static Instant toInstant(Matcher m, Instant reference, ZoneId zone) {
        String fraction = m.group(7) == null ? "" : m.group(7);
        int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
            m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
            m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        String z = m.group(8);
        // Go parses a time without zone in the reference's fixed offset, not with the zone's rules for that date.
        ZoneOffset offset = z == null ? zone.getRules().getOffset(reference)
            : z.equalsIgnoreCase("z") ? ZoneOffset.UTC : ZoneOffset.of(z);
        return local.toInstant(offset);
    }

    private static String format(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
