package dev.empathy.lib.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of many observations grouped in clusters (the turns of one agent's conversations,
 * say) with a cluster-robust interval, from each cluster's count and sum alone.
 *
 * <p>The variance is the sandwich of the intercept-only regression with the usual small-sample
 * factor: {@code G/(G-1) * sum_g (s_g - n_g m)^2 / N^2}, where cluster {@code g} has {@code n_g}
 * observations summing to {@code s_g} and {@code m} is the overall mean (Stata's
 * {@code mean y, vce(cluster g)}; R's {@code sandwich::vcovCL(lm(y ~ 1), cluster = g,
 * type = "HC1")}, whose {@code (N-1)/(N-K)} is 1 here). The interval uses Student's t with
 * {@code G - 1} degrees of freedom, as both do. It needs at least two clusters; with fewer the
 * mean has no interval (NaN bounds).
 */
public final class ClusteredMean {

    /** A mean with its cluster-robust standard error and interval, its observations and clusters. */
    public record Result(double mean, double stdError, double low, double high, long n, long clusters) {
    }

    private long n;
    private long clusters;
    private double sum;
    private final java.util.List<double[]> parts = new java.util.ArrayList<>();

    /** Adds one cluster: its number of observations and their sum. */
    public ClusteredMean add(long count, double clusterSum) {
        if (count <= 0) {
            return this;
        }
        n += count;
        sum += clusterSum;
        clusters++;
        parts.add(new double[] {count, clusterSum});
        return this;
    }

    /** The mean with its interval at {@code level}; NaN everywhere without observations. */
    public Result result(double level) {
        if (n == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0);
        }
        double mean = sum / n;
        if (clusters < 2) {
            return new Result(mean, Double.NaN, Double.NaN, Double.NaN, n, clusters);
        }
        double meat = 0;
        for (double[] p : parts) {
            double u = p[1] - p[0] * mean;
            meat += u * u;
        }
        return interval(mean, meat, n, clusters, level);
    }

    /**
     * The same mean and interval from the clusters' moments instead of the clusters themselves:
     * {@code n} observations summing to {@code sum} in {@code clusters} clusters (each with at
     * least one observation), and over the clusters the sums {@code nn = sum n_g^2},
     * {@code ns = sum n_g s_g} and {@code ss = sum s_g^2}. The meat is then
     * {@code ss - 2 m ns + m^2 nn}. Moments add up across partitions, so a Spark aggregation can
     * give them per group.
     */
    public static Result fromMoments(long n, double sum, long clusters, double nn, double ns, double ss,
                                     double level) {
        if (n == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, clusters);
        }
        double mean = sum / n;
        if (clusters < 2) {
            return new Result(mean, Double.NaN, Double.NaN, Double.NaN, n, clusters);
        }
        double meat = ss - 2 * mean * ns + mean * mean * nn;
        // Rounding can leave a tiny negative residue where every cluster sits on the mean.
        return interval(mean, meat <= 1e-12 * Math.abs(ss) ? 0 : meat, n, clusters, level);
    }

    private static Result interval(double mean, double meat, long n, long clusters, double level) {
        double se = Math.sqrt((double) clusters / (clusters - 1) * meat) / n;
        double t = new TDistribution(null, clusters - 1, 1e-14).inverseCumulativeProbability(1 - (1 - level) / 2);
        return new Result(mean, se, mean - t * se, mean + t * se, n, clusters);
    }
}
