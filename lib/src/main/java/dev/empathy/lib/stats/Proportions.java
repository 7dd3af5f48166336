package dev.empathy.lib.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Intervals for proportions and for comparing two: the Wilson score interval for one
 * proportion (R's {@code prop.test(x, n, correct = FALSE)}), Newcombe's hybrid score interval
 * for a difference (his method 10, 1998), and the log (Katz) interval for a ratio.
 */
public final class Proportions {

    /** An estimate with its interval. */
    public record Interval(double estimate, double low, double high) {
    }

    private Proportions() {
    }

    /** The two-sided normal quantile for a confidence level, 1.959964 for 0.95. */
    public static double z(double level) {
        return new NormalDistribution().inverseCumulativeProbability(1 - (1 - level) / 2);
    }

    /** The Wilson score interval of {@code x} successes in {@code n}; NaN when n is 0. */
    public static Interval wilson(long x, long n, double level) {
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double z = z(level);
        double p = (double) x / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /**
     * The difference {@code x1/n1 - x2/n2} with Newcombe's hybrid score interval, built from the
     * two Wilson intervals: {@code d - sqrt((p1 - l1)^2 + (u2 - p2)^2)} to
     * {@code d + sqrt((u1 - p1)^2 + (p2 - l2)^2)}.
     */
    public static Interval difference(long x1, long n1, long x2, long n2, double level) {
        Interval a = wilson(x1, n1, level);
        Interval b = wilson(x2, n2, level);
        double d = a.estimate() - b.estimate();
        double low = d - Math.sqrt(square(a.estimate() - a.low()) + square(b.high() - b.estimate()));
        double high = d + Math.sqrt(square(a.high() - a.estimate()) + square(b.estimate() - b.low()));
        return new Interval(d, low, high);
    }

    /**
     * The ratio {@code (x1/n1) / (x2/n2)} with the log interval
     * {@code exp(log r +- z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2))}; NaN when a count is 0.
     */
    public static Interval ratio(long x1, long n1, long x2, long n2, double level) {
        if (x1 == 0 || x2 == 0 || n1 == 0 || n2 == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double r = ((double) x1 / n1) / ((double) x2 / n2);
        double se = Math.sqrt(1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2);
        double z = z(level);
        return new Interval(r, Math.exp(Math.log(r) - z * se), Math.exp(Math.log(r) + z * se));
    }

    private static double square(double v) {
        return v * v;
    }
}
