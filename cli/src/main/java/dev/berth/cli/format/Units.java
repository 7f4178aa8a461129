package dev.berth.cli.format;

import dev.berth.cli.template.GoFloat;
import java.util.Locale;

/** docker/go-units sizes: human-readable decimal and binary sizes, and parsing of sizes such as {@code 512m}. */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private Units() {
    }

    /** go-units HumanSizeWithPrecision: decimal units, {@code %.*g} of the scaled size ("1.5kB", "4.27MB"). */
    public static String humanSizeWithPrecision(double size, int precision) {
        return scaled(size, 1000.0, DECIMAL, precision);
    }

    /** go-units HumanSize: four significant digits ("2.746MB", "796kB", "0B"). */
    public static String humanSize(double size) {
        return humanSizeWithPrecision(size, 4);
    }

    /** go-units BytesSize: binary units, four significant digits ("1.5KiB", "12MiB"). */
    public static String bytesSize(double size) {
        return scaled(size, 1024.0, BINARY, 4);
    }

    private static String scaled(double size, double base, String[] units, int precision) {
        int i = 0;
        while (size >= base && i < units.length - 1) {
            size /= base;
            i++;
        }
        return GoFloat.format(size, 'g', precision) + units[i];
    }

    /**
     * go-units RAMInBytes: a number with an optional binary unit k, m, g, t or p (case-insensitive, optional b
     * or ib after it, optional space before it): {@code 512m}, {@code 1g}, {@code 1.5GB}.
     *
     * @throws IllegalArgumentException worded as go-units: {@code invalid size: 'x'}, {@code invalid suffix: 'x'}
     */
    public static long ramInBytes(String size) {
        return parse(size, 1024);
    }

    /** go-units FromHumanSize: like {@link #ramInBytes} with decimal units (1k = 1000). */
    public static long fromHumanSize(String size) {
        return parse(size, 1000);
    }

    private static long parse(String sizeStr, long base) {
        int sep = -1;
        for (int i = sizeStr.length() - 1; i >= 0; i--) {
            if ("0123456789. ".indexOf(sizeStr.charAt(i)) >= 0) {
                sep = i;
                break;
            }
        }
        if (sep < 0) {
            throw new IllegalArgumentException("invalid size: '" + sizeStr + "'");
        }
        String num = sizeStr.charAt(sep) == ' ' ? sizeStr.substring(0, sep) : sizeStr.substring(0, sep + 1);
        String suffix = sizeStr.substring(sep + 1);
        double size;
        try {
            if (!num.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                throw new NumberFormatException();
            }
            size = Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing \"" + num + "\": invalid syntax", e);
        }
        if (size < 0) {
            throw new IllegalArgumentException("invalid size: '" + sizeStr + "'");
        }
        if (suffix.isEmpty()) {
            return (long) size;
        }
        if (suffix.length() > 3) {
            throw new IllegalArgumentException("invalid suffix: '" + suffix + "'");
        }
        String sfx = suffix.toLowerCase(Locale.ROOT);
        if (sfx.charAt(0) == 'b') {
            if (sfx.length() > 1) {
                throw badSuffix(sfx);
            }
            return (long) size;
        }
        int power = "kmgtp".indexOf(sfx.charAt(0)) + 1;
        if (power == 0) {
            throw badSuffix(sfx);
        }
        if (sfx.length() == 2 && sfx.charAt(1) != 'b' || sfx.length() == 3 && !sfx.substring(1).equals("ib")) {
            throw badSuffix(sfx);
        }
        return (long) (size * Math.pow(base, power));
    }

    private static IllegalArgumentException badSuffix(String lowerCased) {
        return new IllegalArgumentException("invalid suffix: '" + lowerCased + "'");
    }
}
