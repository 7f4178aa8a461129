package dev.berth.engine.containers;

import dev.berth.engine.EngineException;
import dev.berth.runtime.LogPolicy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The log drivers a container can have, and what their options mean on disk.
 *
 * <p>{@code json-file} and {@code local} are both kept by conmon in its k8s-file format, rotated through
 * {@link dev.berth.runtime.LogFiles}; they differ in their options and defaults, which are Docker's (local: 20 MiB files,
 * 5 of them, compressed), except that a json-file log is never unbounded: without {@code max-size} it rotates at 10 MB
 * and keeps 5 files ({@link #JSON_FILE_DEFAULTS}). {@code none} keeps nothing ({@code logs} then fails as in Docker).
 */
public final class LogDrivers {
    public static final String JSON_FILE = "json-file";
    public static final String LOCAL = "local";
    public static final String NONE = "none";
    /** Where Docker lets a json-file log grow forever, Berth rotates. */
    public static final Map<String, String> JSON_FILE_DEFAULTS = Map.of("max-size", "10m", "max-file", "5");

    private static final Set<String> JSON_FILE_OPTIONS =
            Set.of("max-file", "max-size", "compress", "labels", "labels-regex", "env", "env-regex", "tag");
    private static final Set<String> LOCAL_OPTIONS = Set.of("max-file", "max-size", "compress");
    private static final long LOCAL_MAX_SIZE = 20L * 1024 * 1024;
    private static final int LOCAL_MAX_FILE = 5;
    /** go-units' size syntax: a number, an optional space, an optional unit prefix, an optional "i" and "b". */
    private static final Pattern SIZE = Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");

    private LogDrivers() {}

    /** Docker's answer to {@code logs} on a container whose driver keeps nothing. */
    public static void requireReadable(ContainerSettings settings) {
        if (NONE.equals(settings.logDriver())) {
            throw new EngineException.NotImplemented("configured logging driver does not support reading");
        }
    }

    /** A container's log configuration as inspect shows it. */
    public record Config(String driver, Map<String, String> options) {}

    /**
     * The configuration a new container gets (Docker's mergeAndVerifyLogConfig): its own driver or the daemon's, the
     * daemon's options under its own when the drivers are the same, then Berth's json-file defaults; validated as the
     * driver would at start, so a bad option fails the create and leaves nothing behind.
     */
    public static Config resolve(String driver, Map<String, String> options, String daemonDriver,
            Map<String, String> daemonOptions) {
        String name = driver == null || driver.isEmpty() ? daemonDriver : driver;
        Map<String, String> merged = new TreeMap<>(options == null ? Map.of() : options);
        if (name.equals(daemonDriver)) {
            daemonOptions.forEach(merged::putIfAbsent);
        }
        if (name.equals(JSON_FILE)) {
            JSON_FILE_DEFAULTS.forEach(merged::putIfAbsent);
        }
        validate(name, merged);
        return new Config(name, Map.copyOf(merged));
    }

    private static void validate(String driver, Map<String, String> options) {
        Set<String> known = switch (driver) {
            case JSON_FILE -> JSON_FILE_OPTIONS;
            case LOCAL -> LOCAL_OPTIONS;
            case NONE -> null;
            default -> throw new EngineException.InvalidArgument("logger: no log driver named '" + driver + "' is registered");
        };
        if (known == null) {
            return;
        }
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new EngineException.InvalidArgument(driver.equals(JSON_FILE)
                        ? "unknown log opt '" + key + "' for json-file log driver"
                        : "unknown log opt '" + key + "' for log driver " + driver);
            }
        }
        try {
            policy(driver, options);
            for (String key : List.of("labels-regex", "env-regex")) {
                if (options.containsKey(key)) {
                    Pattern.compile(options.get(key));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new EngineException.InvalidArgument("failed to initialize logging driver: " + e.getMessage(), e);
        }
    }

    /**
     * How the driver keeps the log on disk; throws {@link IllegalArgumentException} with Docker's message for a bad value.
     * Records from before log drivers (driver "k8s-file") get the json-file defaults.
     */
    public static LogPolicy policy(String driver, Map<String, String> options) {
        if (NONE.equals(driver)) {
            return LogPolicy.NONE;
        }
        boolean local = LOCAL.equals(driver);
        Map<String, String> o = options == null || options.isEmpty() && !local ? JSON_FILE_DEFAULTS : options;
        long maxSize = local ? LOCAL_MAX_SIZE : -1;
        if (o.containsKey("max-size")) {
            maxSize = parseSize(o.get("max-size"), local);
            if (maxSize <= 0) {
                throw new IllegalArgumentException("max-size must be a positive number");
            }
        }
        int maxFiles = local ? LOCAL_MAX_FILE : 1;
        if (o.containsKey("max-file")) {
            String value = o.get("max-file");
            try {
                maxFiles = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("strconv.Atoi: parsing \"" + value + "\": invalid syntax", e);
            }
            if (maxFiles < 1) {
                throw new IllegalArgumentException("max-file cannot be less than 1");
            }
        }
        boolean compress = local;
        if (o.containsKey("compress")) {
            compress = parseBool(o.get("compress"));
            if (compress && !local && (maxFiles == 1 || maxSize == -1)) {
                throw new IllegalArgumentException(
                        "compress cannot be true when max-file is less than 2 or max-size is not set");
            }
        }
        return new LogPolicy(true, maxSize, maxFiles, compress && maxFiles > 1);
    }

    /** go-units' FromHumanSize (decimal: 10m is 10,000,000 bytes) or, with {@code binary}, RAMInBytes (10m is 10 MiB). */
    public static long parseSize(String value, boolean binary) {
        Matcher m = SIZE.matcher(value == null ? "" : value);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size: '" + value + "'");
        }
        double size = Double.parseDouble(m.group(1));
        if (m.group(3) != null) {
            int power = "kmgtp".indexOf(m.group(3).toLowerCase(Locale.ROOT)) + 1;
            size *= Math.pow(binary ? 1024 : 1000, power);
        }
        return (long) size;
    }

    /** Go's strconv.ParseBool. */
    private static boolean parseBool(String value) {
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new IllegalArgumentException("strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        };
    }

    /**
     * The extra attributes {@code logs --details} shows before each line: the labels and environment variables the
     * {@code labels}, {@code labels-regex}, {@code env} and {@code env-regex} options name, as {@code k=v} pairs sorted by
     * key, values query-escaped, joined with commas (Docker's ExtraAttributes and attrsByte). Empty when none apply.
     */
    public static String attributes(Map<String, String> options, Map<String, String> labels, List<String> env) {
        Map<String, String> attrs = new TreeMap<>();
        Map<String, String> o = options == null ? Map.of() : options;
        Map<String, String> l = labels == null ? Map.of() : labels;
        Map<String, String> e = new TreeMap<>();
        for (String kv : env == null ? List.<String>of() : env) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                e.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        pick(attrs, l, o.get("labels"), o.get("labels-regex"));
        pick(attrs, e, o.get("env"), o.get("env-regex"));
        StringBuilder out = new StringBuilder();
        attrs.forEach((k, v) -> out.append(out.isEmpty() ? "" : ",").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static void pick(Map<String, String> attrs, Map<String, String> from, String keys, String regex) {
        if (keys != null) {
            for (String k : keys.split(",")) {
                if (from.containsKey(k)) {
                    attrs.put(k, from.get(k));
                }
            }
        }
        if (regex != null) {
            try {
                Pattern p = Pattern.compile(regex);
                from.forEach((k, v) -> {
                    if (p.matcher(k).find()) {
                        attrs.put(k, v);
                    }
                });
            } catch (PatternSyntaxException ex) {
                // validated at create; a record from elsewhere with a bad pattern just shows no such attributes
            }
        }
    }
}
