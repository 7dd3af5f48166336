package dev.empathy.reports.text;

import java.util.Locale;

/** Figures as the plain-language summaries write them, the same way in every job. */
public final class Figures {

    private Figures() {
    }

    /** A share as a percentage with one decimal: 0.2049 is "20.5%". */
    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** Two decimals: "0.79". */
    public static String two(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A ratio (odds, hazard) as a change: 0.77 is "23% lower", 1.05 is "5% higher". */
    public static String change(double ratio) {
        return String.format(Locale.ROOT, "%.0f%% %s", Math.abs(100 * (ratio - 1)), ratio < 1 ? "lower" : "higher");
    }

    /**
     * A value as a person would write it: whole numbers without decimals ("5"), others with up to
     * four significant digits ("0.3333", "12.5"), and magnitudes no reader can use in words
     * ("more than a billion", "less than a millionth").
     */
    public static String plain(double v) {
        if (Double.isNaN(v)) {
            return "not known";
        }
        double a = Math.abs(v);
        String sign = v < 0 ? "minus " : "";
        if (a >= 1e9) {
            return sign + "more than a billion";
        }
        if (a != 0 && a < 1e-6) {
            return sign + "less than a millionth";
        }
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
