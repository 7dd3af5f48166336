package dev.empathy.lib.stats;

import java.util.Map;
import java.util.NavigableMap;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The Mann-Whitney (Wilcoxon rank-sum) test and Cliff's delta from the counts of each distinct
 * value in two groups, so that millions of observations need only their distinct values on the
 * driver.
 *
 * <p>{@code W} is R's statistic: the number of pairs (x from the first group, y from the second)
 * with {@code x > y}, plus half the ties. The p-value is R's {@code wilcox.test(x, y,
 * exact = FALSE, correct = TRUE)}: the normal approximation with the tie-corrected variance
 * {@code n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))} and a continuity correction of
 * 0.5 towards the mean. Cliff's delta is {@code P(x > y) - P(x < y) = 2 W / (n1 n2) - 1}.
 */
public final class MannWhitney {

    /** The statistic W, its two-sided p-value, Cliff's delta and the group sizes. */
    public record Result(double w, double pValue, double cliffsDelta, long n1, long n2) {
    }

    private MannWhitney() {
    }

    /**
     * @param counts each distinct value with {@code {count in the first group, count in the
     *               second}}, in ascending order of value
     * @return NaN statistics when a group is empty
     */
    public static Result test(NavigableMap<Double, long[]> counts) {
        long n1 = 0;
        long n2 = 0;
        for (long[] c : counts.values()) {
            n1 += c[0];
            n2 += c[1];
        }
        if (n1 == 0 || n2 == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, n1, n2);
        }
        double w = 0;
        long secondBelow = 0;
        double ties = 0;
        for (Map.Entry<Double, long[]> e : counts.entrySet()) {
            long a = e.getValue()[0];
            long b = e.getValue()[1];
            w += a * (secondBelow + b / 2.0);
            secondBelow += b;
            double t = a + b;
            ties += t * t * t - t;
        }
        double n = n1 + n2;
        double mean = (double) n1 * n2 / 2;
        double variance = (double) n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
        double delta = 2 * w / ((double) n1 * n2) - 1;
        if (!(variance > 0)) {
            return new Result(w, Double.NaN, delta, n1, n2);
        }
        double diff = w - mean;
        double z = (diff - Math.signum(diff) * 0.5) / Math.sqrt(variance);
        double p = 2 * new NormalDistribution().cumulativeProbability(-Math.abs(z));
        return new Result(w, Math.min(1, p), delta, n1, n2);
    }
}
