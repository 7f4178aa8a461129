package dev.berth.cli.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's strconv.FormatFloat for the 'e', 'f' and 'g' formats, with precision -1 meaning the shortest digits that
 * read back to the same double. fmt's %v of a float64 is {@code format(v, 'g', -1)}, so 1e6 prints as "1e+06".
 */
public final class GoFloat {
    /** Decimal digits without leading or trailing zeros (empty for zero) and the decimal point position. */
    private record Digits(String d, int dp) {
        static Digits of(BigDecimal value) {
            if (value.signum() == 0) {
                return new Digits("", 0);
            }
            BigDecimal stripped = value.stripTrailingZeros();
            String digits = stripped.unscaledValue().toString();
            return new Digits(digits, digits.length() - stripped.scale());
        }

        int nd() {
            return d.length();
        }
    }

    private GoFloat() {
    }

    /** strconv.FormatFloat(v, fmt, prec, 64) for fmt in e, E, f, F, g, G. */
    public static String format(double v, char fmt, int prec) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        double abs = Math.abs(v);
        char lower = Character.toLowerCase(fmt);
        boolean shortest = prec < 0;
        Digits digits;
        if (shortest) {
            digits = abs == 0 ? new Digits("", 0) : Digits.of(new BigDecimal(Double.toString(abs)));
            prec = switch (lower) {
                case 'e' -> Math.max(digits.nd() - 1, 0);
                case 'f' -> Math.max(digits.nd() - digits.dp(), 0);
                default -> digits.nd();
            };
        } else {
            BigDecimal exact = new BigDecimal(abs);
            digits = switch (lower) {
                case 'e' -> Digits.of(exact.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN)));
                case 'f' -> Digits.of(exact.setScale(prec, RoundingMode.HALF_EVEN));
                default -> {
                    if (prec == 0) {
                        prec = 1;
                    }
                    yield Digits.of(exact.round(new MathContext(prec, RoundingMode.HALF_EVEN)));
                }
            };
        }
        StringBuilder out = new StringBuilder();
        if (negative) {
            out.append('-');
        }
        char expChar = Character.isUpperCase(fmt) ? 'E' : 'e';
        switch (lower) {
            case 'e' -> formatE(out, digits, prec, expChar);
            case 'f' -> formatF(out, digits, prec);
            default -> {
                int eprec = prec;
                if (eprec > digits.nd() && digits.nd() >= digits.dp()) {
                    eprec = digits.nd();
                }
                if (shortest) {
                    eprec = 6;
                }
                int exp = digits.dp() - 1;
                if (exp < -4 || exp >= eprec) {
                    formatE(out, digits, Math.min(prec, digits.nd()) - 1, expChar);
                } else {
                    formatF(out, digits, Math.max((prec > digits.dp() ? digits.nd() : prec) - digits.dp(), 0));
                }
            }
        }
        return out.toString();
    }

    private static void formatE(StringBuilder out, Digits digits, int prec, char expChar) {
        out.append(digits.nd() == 0 ? '0' : digits.d().charAt(0));
        if (prec > 0) {
            out.append('.');
            for (int i = 1; i <= prec; i++) {
                out.append(i < digits.nd() ? digits.d().charAt(i) : '0');
            }
        }
        int exp = digits.nd() == 0 ? 0 : digits.dp() - 1;
        out.append(expChar).append(exp < 0 ? '-' : '+');
        exp = Math.abs(exp);
        if (exp < 10) {
            out.append('0');
        }
        out.append(exp);
    }

    private static void formatF(StringBuilder out, Digits digits, int prec) {
        if (digits.dp() > 0) {
            for (int i = 0; i < digits.dp(); i++) {
                out.append(i < digits.nd() ? digits.d().charAt(i) : '0');
            }
        } else {
            out.append('0');
        }
        if (prec > 0) {
            out.append('.');
            for (int i = 1; i <= prec; i++) {
                int j = digits.dp() + i - 1;
                out.append(j >= 0 && j < digits.nd() ? digits.d().charAt(j) : '0');
            }
        }
    }
}
