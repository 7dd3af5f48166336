package dev.empathy.lib.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The difference of two group means when the observations come in clusters (the contacts of one
 * agent are alike), with a cluster-robust standard error, computed from each cluster's counts and
 * sums alone: no observation is needed, so a Spark job can send per-cluster sums (or their
 * moments, {@link Moments}) to the driver and never fit a model per group.
 *
 * <p>The estimate is the coefficient {@code b} of {@code y ~ 1 + d} by least squares, with
 * {@code d = 1} for group one and 0 for group zero: {@code b = m1 - m0}, the difference of the
 * means. Cluster {@code g} holds {@code n1_g} observations of group one summing to {@code s1_g}
 * and {@code n0_g} of group zero summing to {@code s0_g} (a cluster may hold both). The sandwich
 * of that regression reduces, for {@code b}, to
 * <pre>
 *   V(b) = c * sum_g u_g^2,   u_g = (s1_g - n1_g m1) / N1 - (s0_g - n0_g m0) / N0,
 *   c = G / (G - 1) * (N - 1) / (N - 2)
 * </pre>
 * with {@code N = N1 + N0} and {@code G} clusters: the CR1 errors of Stata's
 * {@code regress y d, vce(cluster g)} and of R's {@code sandwich::vcovCL(lm(y ~ d), cluster = g,
 * type = "HC1")}. The p-value and interval use Student's t with {@code G - 1} degrees of freedom,
 * as Stata does (and the toolkit's {@code --se cluster}).
 *
 * <p>There is no estimate without observations in both groups, no standard error with fewer than
 * two clusters or fewer than three observations, and no test (NaN statistic and p-value) when the
 * standard error is 0 (every observation equal to its group's mean).
 */
public final class ClusteredDifference {

    /**
     * The difference with its standard error, test and interval.
     *
     * @param difference m1 - m0
     * @param meanOne    m1, the mean of group one
     * @param meanZero   m0
     * @param stdError   the CR1 standard error
     * @param statistic  difference / stdError
     * @param pValue     two-sided, t with clusters - 1 degrees of freedom
     * @param low        the interval's lower bound
     * @param high       its upper bound
     * @param nOne       N1, observations of group one
     * @param nZero      N0
     * @param clusters   G, the clusters with at least one observation
     */
    public record Result(double difference, double meanOne, double meanZero, double stdError, double statistic,
                         double pValue, double low, double high, long nOne, long nZero, long clusters) {
    }

    /**
     * The sums a difference needs, over clusters: the counts, the first-order sums, and the sums of
     * squares and cross products of each cluster's {@code (n1, s1, n0, s0)}. Mergeable: moments of
     * disjoint sets of clusters {@link #plus add up}, so they can be summed in any order (by Spark
     * per group, say).
     */
    public record Moments(long clusters, long n1, double s1, long n0, double s0,
                          double n1n1, double n1s1, double s1s1, double n0n0, double n0s0, double s0s0,
                          double n1n0, double n1s0, double s1n0, double s1s0) {

        /** No cluster. */
        public static final Moments EMPTY = new Moments(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** The moments of one cluster (none when it holds no observation). */
        public static Moments of(long n1, double s1, long n0, double s0) {
            if (n1 < 0 || n0 < 0) {
                throw new IllegalArgumentException("a cluster's counts must not be negative: " + n1 + ", " + n0);
            }
            if (n1 + n0 == 0) {
                return EMPTY;
            }
            double a = n1;
            double b = n0;
            return new Moments(1, n1, s1, n0, s0, a * a, a * s1, s1 * s1, b * b, b * s0, s0 * s0, a * b, a * s0,
                    s1 * b, s1 * s0);
        }

        /** The moments of both sets of clusters together (the sets must not share a cluster). */
        public Moments plus(Moments o) {
            return new Moments(clusters + o.clusters, n1 + o.n1, s1 + o.s1, n0 + o.n0, s0 + o.s0, n1n1 + o.n1n1,
                    n1s1 + o.n1s1, s1s1 + o.s1s1, n0n0 + o.n0n0, n0s0 + o.n0s0, s0s0 + o.s0s0, n1n0 + o.n1n0,
                    n1s0 + o.n1s0, s1n0 + o.s1n0, s1s0 + o.s1s0);
        }
    }

    private Moments moments = Moments.EMPTY;

    /** Adds one cluster: its observations and their sum in group one, then in group zero. */
    public ClusteredDifference add(long n1, double s1, long n0, double s0) {
        moments = moments.plus(Moments.of(n1, s1, n0, s0));
        return this;
    }

    /** The moments of the clusters added so far. */
    public Moments moments() {
        return moments;
    }

    /** The difference at confidence {@code level} from the clusters added. */
    public Result result(double level) {
        return of(moments, level);
    }

    /** The difference at confidence {@code level} from the moments of every cluster. */
    public static Result of(Moments m, double level) {
        double nan = Double.NaN;
        if (m.n1() == 0 || m.n0() == 0) {
            double m1 = m.n1() == 0 ? nan : m.s1() / m.n1();
            double m0 = m.n0() == 0 ? nan : m.s0() / m.n0();
            return new Result(nan, m1, m0, nan, nan, nan, nan, nan, m.n1(), m.n0(), m.clusters());
        }
        double big1 = m.n1();
        double big0 = m.n0();
        double m1 = m.s1() / big1;
        double m0 = m.s0() / big0;
        double b = m1 - m0;
        long n = m.n1() + m.n0();
        if (m.clusters() < 2 || n < 3) {
            return new Result(b, m1, m0, nan, nan, nan, nan, nan, m.n1(), m.n0(), m.clusters());
        }
        // u_g = a1 s1 + c1 n1 + a0 s0 + c0 n0, a quadratic form in the cluster's (n1, s1, n0, s0).
        double a1 = 1 / big1;
        double c1 = -m1 / big1;
        double a0 = -1 / big0;
        double c0 = m0 / big0;
        double sum = a1 * a1 * m.s1s1() + c1 * c1 * m.n1n1() + a0 * a0 * m.s0s0() + c0 * c0 * m.n0n0()
                + 2 * (a1 * c1 * m.n1s1() + a1 * a0 * m.s1s0() + a1 * c0 * m.s1n0()
                + c1 * a0 * m.n1s0() + c1 * c0 * m.n1n0() + a0 * c0 * m.n0s0());
        long g = m.clusters();
        double variance = Math.max(0, sum) * g / (g - 1.0) * (n - 1.0) / (n - 2.0);
        double se = Math.sqrt(variance);
        TDistribution t = new TDistribution(null, g - 1, 1e-14);
        double q = t.inverseCumulativeProbability(1 - (1 - level) / 2);
        // Rounding leaves a residue of about 1e-12 of the terms where the exact sum is 0.
        double scale = Math.abs(a1 * a1 * m.s1s1()) + Math.abs(a0 * a0 * m.s0s0()) + Math.abs(c1 * c1 * m.n1n1())
                + Math.abs(c0 * c0 * m.n0n0());
        if (!(se > 0) || sum <= 1e-12 * scale) {
            return new Result(b, m1, m0, 0, nan, nan, b, b, m.n1(), m.n0(), g);
        }
        double statistic = b / se;
        double p = 2 * t.cumulativeProbability(-Math.abs(statistic));
        return new Result(b, m1, m0, se, statistic, p, b - q * se, b + q * se, m.n1(), m.n0(), g);
    }
}
