package dev.empathy.lib.stats;

import java.util.Locale;
import org.apache.commons.math3.distribution.FDistribution;

/**
 * Intraclass correlations of Shrout and Fleiss (1979, "Intraclass correlations: uses in assessing
 * rater reliability", Psychological Bulletin 86(2), 420-428) for a complete block: {@code n}
 * targets (interactions) each rated by the same {@code k} judges (raters).
 *
 * <p>From the two-way analysis of variance of the block, with target means {@code x_i.}, judge
 * means {@code x_.j} and grand mean {@code x..}: {@code BMS = k sum_i (x_i. - x..)^2 / (n - 1)}
 * between targets, {@code JMS = n sum_j (x_.j - x..)^2 / (k - 1)} between judges, {@code WMS =
 * (SS_total - SS_targets) / (n (k - 1))} within targets, and {@code EMS = (SS_total - SS_targets -
 * SS_judges) / ((n - 1)(k - 1))} residual. Then
 * <ul>
 *   <li>ICC(1,1) {@code = (BMS - WMS) / (BMS + (k - 1) WMS)}: each target rated by its own judges;</li>
 *   <li>ICC(2,1) {@code = (BMS - EMS) / (BMS + (k - 1) EMS + k (JMS - EMS) / n)}: judges a random
 *       sample of judges, absolute agreement (a lenient judge lowers it);</li>
 *   <li>ICC(3,1) {@code = (BMS - EMS) / (BMS + (k - 1) EMS)}: these judges only, consistency
 *       (a judge's constant offset does not count);</li>
 *   <li>ICC(1,k), ICC(2,k), ICC(3,k): the same for the mean of the {@code k} judges.</li>
 * </ul>
 * Intervals are Shrout and Fleiss's: exact F intervals for ICC(1,*) and ICC(3,*), and for ICC(2,1)
 * the approximate one with Satterthwaite's degrees of freedom, carried to ICC(2,k) by the
 * Spearman-Brown formula (as McGraw and Wong 1996 and R's {@code psych::ICC} and
 * {@code irr::icc} give them).
 *
 * <p>A block with fewer than two targets or two judges, or without variation, gives NaN figures
 * with a note, never an exception.
 */
public final class IntraclassCorrelation {

    /** An intraclass correlation and its interval (NaN ends when there is none). */
    public record Estimate(double value, double low, double high) {
    }

    /**
     * The correlations of one block with the mean squares they come from.
     *
     * @param targets {@code n}
     * @param judges  {@code k}
     * @param bms     between-targets mean square
     * @param wms     within-targets mean square
     * @param jms     between-judges mean square
     * @param ems     residual mean square
     * @param level   the confidence level of the intervals
     * @param note    why figures are missing, or null
     */
    public record Result(int targets, int judges, double bms, double wms, double jms, double ems,
                         Estimate icc11, Estimate icc21, Estimate icc31, Estimate icc1k, Estimate icc2k,
                         Estimate icc3k, double level, String note) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d targets x %d judges: BMS %.4f WMS %.4f JMS %.4f EMS %.4f; "
                            + "ICC(1,1) %.4f ICC(2,1) %.4f [%.4f, %.4f] ICC(3,1) %.4f [%.4f, %.4f]%s", targets, judges,
                    bms, wms, jms, ems, icc11.value(), icc21.value(), icc21.low(), icc21.high(), icc31.value(),
                    icc31.low(), icc31.high(), note == null ? "" : "; " + note);
        }
    }

    private static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, Double.NaN);

    private IntraclassCorrelation() {
    }

    /**
     * The correlations of a complete block at confidence {@code level}.
     *
     * @param ratings {@code ratings[i][j]}: target {@code i}'s rating by judge {@code j}; every row
     *                the same length, no missing value
     */
    public static Result of(double[][] ratings, double level) {
        int n = ratings.length;
        int k = n == 0 ? 0 : ratings[0].length;
        for (double[] row : ratings) {
            if (row.length != k) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "a complete block has the same judges for every target: rows of %d and %d ratings", k,
                        row.length));
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("a complete block has no missing or infinite rating: " + v);
                }
            }
        }
        if (n < 2 || k < 2) {
            return new Result(n, k, Double.NaN, Double.NaN, Double.NaN, Double.NaN, NONE, NONE, NONE, NONE, NONE,
                    NONE, level, String.format(Locale.ROOT, "a block needs two targets and two judges, has %d and %d",
                            n, k));
        }
        double grand = 0;
        double[] targetMean = new double[n];
        double[] judgeMean = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                targetMean[i] += ratings[i][j] / k;
                judgeMean[j] += ratings[i][j] / n;
                grand += ratings[i][j];
            }
        }
        grand /= (double) n * k;
        // Each sum of squares from its own deviations (not by subtraction), so that a block without
        // residual variation has a residual of exactly 0, or of rounding noise treated as 0 below.
        double ssTargets = 0;
        double ssJudges = 0;
        double ssWithin = 0;
        double ssResidual = 0;
        for (int i = 0; i < n; i++) {
            ssTargets += k * (targetMean[i] - grand) * (targetMean[i] - grand);
            for (int j = 0; j < k; j++) {
                double w = ratings[i][j] - targetMean[i];
                double e = w - judgeMean[j] + grand;
                ssWithin += w * w;
                ssResidual += e * e;
            }
        }
        for (int j = 0; j < k; j++) {
            ssJudges += n * (judgeMean[j] - grand) * (judgeMean[j] - grand);
        }
        double bms = ssTargets / (n - 1);
        double jms = ssJudges / (k - 1);
        double scale = 1e-12 * (ssTargets + ssJudges + ssWithin);
        double wms = ssWithin <= scale ? 0 : ssWithin / (n * (k - 1.0));
        double ems = ssResidual <= scale ? 0 : ssResidual / ((n - 1.0) * (k - 1));
        if (!(bms + (k - 1) * wms > 0) || !(bms + (k - 1) * ems > 0)) {
            return new Result(n, k, bms, wms, jms, ems, NONE, NONE, NONE, NONE, NONE, NONE, level,
                    "every rating of the block is the same, so no correlation is defined");
        }
        double alpha = 1 - level;
        String note = null;

        double icc11 = (bms - wms) / (bms + (k - 1) * wms);
        double[] f1 = fBounds(bms / wms, n - 1, n * (k - 1.0), alpha);
        Estimate one = new Estimate(icc11, single(f1[0], k), single(f1[1], k));
        Estimate oneK = new Estimate((bms - wms) / bms, average(f1[0]), average(f1[1]));

        double icc31 = (bms - ems) / (bms + (k - 1) * ems);
        double[] f3 = fBounds(bms / ems, n - 1, (n - 1.0) * (k - 1), alpha);
        Estimate three = new Estimate(icc31, single(f3[0], k), single(f3[1], k));
        Estimate threeK = new Estimate((bms - ems) / bms, average(f3[0]), average(f3[1]));

        double icc21 = (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n);
        double[] b2 = twoOneBounds(n, k, bms, jms, ems, icc21, alpha);
        Estimate two = new Estimate(icc21, b2[0], b2[1]);
        Estimate twoK = new Estimate((bms - ems) / (bms + (jms - ems) / n), spearmanBrown(b2[0], k),
                spearmanBrown(b2[1], k));
        if (!(ems > 0)) {
            note = "no residual variation: the ICC(2,1) and ICC(3,1) intervals are not defined";
        }
        return new Result(n, k, bms, wms, jms, ems, one, two, three, oneK, twoK, threeK, level, note);
    }

    /** {@code F / F(1 - a/2; df1, df2)} and {@code F * F(1 - a/2; df2, df1)}: the bounds on F. */
    private static double[] fBounds(double f, double df1, double df2, double alpha) {
        if (!Double.isFinite(f)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double upper12 = new FDistribution(null, df1, df2, 1e-14).inverseCumulativeProbability(1 - alpha / 2);
        double upper21 = new FDistribution(null, df2, df1, 1e-14).inverseCumulativeProbability(1 - alpha / 2);
        return new double[] {f / upper12, f * upper21};
    }

    /** The single-judge correlation at F bound {@code f}: {@code (f - 1) / (f + k - 1)}. */
    private static double single(double f, int k) {
        return (f - 1) / (f + k - 1);
    }

    /** The average-judge correlation at F bound {@code f}: {@code 1 - 1 / f}. */
    private static double average(double f) {
        return 1 - 1 / f;
    }

    private static double spearmanBrown(double r, int k) {
        return k * r / (1 + (k - 1) * r);
    }

    /**
     * Shrout and Fleiss's approximate interval for ICC(2,1): with {@code F_j = JMS / EMS} and
     * {@code v = (k-1)(n-1) [k r F_j + n (1 + (k-1) r) - k r]^2 / [(n-1) k^2 r^2 F_j^2 +
     * (n (1 + (k-1) r) - k r)^2]}, {@code F* = F(1 - a/2; n-1, v)} and {@code F** = F(1 - a/2; v, n-1)},
     * the bounds are {@code n (BMS - F* EMS) / (F* [k JMS + (kn - k - n) EMS] + n BMS)} and
     * {@code n (F** BMS - EMS) / (k JMS + (kn - k - n) EMS + n F** BMS)}.
     */
    private static double[] twoOneBounds(int n, int k, double bms, double jms, double ems, double r, double alpha) {
        if (!(ems > 0)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double fj = jms / ems;
        double a = k * r * fj + n * (1 + (k - 1) * r) - k * r;
        double b = n * (1 + (k - 1) * r) - k * r;
        double v = (k - 1.0) * (n - 1) * a * a / ((n - 1.0) * k * k * r * r * fj * fj + b * b);
        if (!(v > 0) || !Double.isFinite(v)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double fStar = new FDistribution(null, n - 1, v, 1e-14).inverseCumulativeProbability(1 - alpha / 2);
        double fStarStar = new FDistribution(null, v, n - 1, 1e-14).inverseCumulativeProbability(1 - alpha / 2);
        double c = k * jms + (k * n - k - n) * ems;
        double low = n * (bms - fStar * ems) / (fStar * c + n * bms);
        double high = n * (fStarStar * bms - ems) / (c + n * fStarStar * bms);
        return new double[] {low, high};
    }
}
