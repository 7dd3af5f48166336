package dev.empathy.lib.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * A seeded nonparametric bootstrap that resamples units (the interactions of a rating study):
 * each resample draws as many units as there are, uniformly with replacement, and hands the
 * statistic how many times each unit was drawn; the interval is the percentile interval
 * (Efron and Tibshirani 1993, section 13.3) at the given level, its ends the sample quantiles
 * of the resampled statistics as R's {@code quantile(type = 7)} takes them. The same seed gives
 * the same interval.
 *
 * <p>A resample whose statistic is NaN (alpha of a resample whose values are all equal, say) is
 * left out; when more than a tenth of the resamples are, the interval is not given (NaN ends).
 */
public final class UnitBootstrap {

    /** The most resamples whose statistic may be undefined, as a share of all, for an interval to be given. */
    public static final double MAX_UNDEFINED_SHARE = 0.10;

    /**
     * A percentile interval.
     *
     * @param low       the lower end, NaN when not given
     * @param high      the upper end, NaN when not given
     * @param resamples resamples drawn
     * @param defined   resamples whose statistic was defined
     * @param level     the confidence level
     */
    public record Interval(double low, double high, int resamples, int defined, double level) {

        public boolean given() {
            return Double.isFinite(low) && Double.isFinite(high);
        }
    }

    private UnitBootstrap() {
    }

    /**
     * The percentile interval of {@code statistic} over {@code resamples} resamples of
     * {@code units} units, drawn from a generator seeded with {@code seed}.
     *
     * @param statistic the statistic of a resample, from {@code copies[i]}, the times unit
     *                  {@code i} was drawn (the array is reused between calls)
     */
    public static Interval percentile(int units, int resamples, long seed, double level,
                                      ToDoubleFunction<int[]> statistic) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be between 0 and 1, got " + level);
        }
        if (units == 0) {
            return new Interval(Double.NaN, Double.NaN, resamples, 0, level);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] copies = new int[units];
        double[] values = new double[resamples];
        int defined = 0;
        for (int r = 0; r < resamples; r++) {
            Arrays.fill(copies, 0);
            for (int i = 0; i < units; i++) {
                copies[random.nextInt(units)]++;
            }
            double v = statistic.applyAsDouble(copies);
            if (!Double.isNaN(v)) {
                values[defined++] = v;
            }
        }
        if (defined < 2 || resamples - defined > MAX_UNDEFINED_SHARE * resamples) {
            return new Interval(Double.NaN, Double.NaN, resamples, defined, level);
        }
        double[] sorted = Arrays.copyOf(values, defined);
        Arrays.sort(sorted);
        double tail = (1 - level) / 2;
        return new Interval(quantile(sorted, tail), quantile(sorted, 1 - tail), resamples, defined, level);
    }

    /** R's type 7 quantile of sorted values: linear between order statistics at {@code (n - 1) p}. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
