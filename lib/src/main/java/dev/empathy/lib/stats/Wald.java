package dev.empathy.lib.stats;

import dev.empathy.lib.regression.Estimate;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Wald inference for functions of estimated coefficients: linear combinations {@code d'b} with
 * variance {@code d'Vd}, ratios by the delta method, and normal tests and intervals.
 */
public final class Wald {

    private static final NormalDistribution NORMAL = new NormalDistribution();

    private Wald() {
    }

    /** {@code a' M b}, summed term by term in row order (rows where {@code a} is zero add nothing). */
    public static double bilinear(double[] a, double[][] m, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) {
                continue;
            }
            for (int j = 0; j < b.length; j++) {
                s += a[i] * m[i][j] * b[j];
            }
        }
        return s;
    }

    /** {@code d' V d}: the variance of {@code d'b} when {@code V} is the covariance of {@code b}. */
    public static double quadratic(double[] d, double[][] v) {
        return bilinear(d, v, d);
    }

    /**
     * A term estimated as {@code value} with standard error {@code se}: the z statistic, its
     * two-sided normal p-value and the normal interval at {@code level}.
     */
    public static Estimate normal(String term, double value, double se, double level) {
        double z = value / se;
        double p = 2 * NORMAL.cumulativeProbability(-Math.abs(z));
        double half = Proportions.z(level) * se;
        return new Estimate(term, value, se, z, p, value - half, value + half);
    }

    /**
     * The ratio {@code a / b} of two estimates with its delta-method standard error
     * {@code sqrt(var a - 2 (a/b) cov + (a/b)^2 var b) / |b|}.
     */
    public static Ratio ratio(double a, double b, double varA, double varB, double cov) {
        double r = a / b;
        double se = Math.sqrt(Math.max(0, varA - 2 * r * cov + r * r * varB)) / Math.abs(b);
        return new Ratio(r, se);
    }

    /** A ratio of two estimates and its delta-method standard error. */
    public record Ratio(double value, double stdError) {
    }
}
