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
}
