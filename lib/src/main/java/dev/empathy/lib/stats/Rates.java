package dev.empathy.lib.stats;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Event rates per unit of exposure time and correlations, with their intervals.
 *
 * <p>{@link #poisson}: events over person-time with the exact (Garwood) interval from the
 * chi-square quantiles, as R's {@code poisson.test(x, T)}. {@link #correlation}: a correlation
 * with the Fisher z interval {@code tanh(atanh(r) +- z se)}, {@code se = sqrt(f / (n - 3))}, where
 * {@code f = 1} for Pearson (R's {@code cor.test}) and {@code f = 1.06} for Spearman (Fieller,
 * Hartley and Pearson, 1957).
 */
public final class Rates {

    /** Fieller, Hartley and Pearson's variance factor for Spearman's rho. */
    public static final double SPEARMAN_FACTOR = 1.06;

    private Rates() {
    }

    /** {@code events / exposure} with the exact Poisson interval; NaN when exposure is not positive. */
    public static Proportions.Interval poisson(long events, double exposure, double level) {
        if (!(exposure > 0)) {
            return new Proportions.Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double alpha = 1 - level;
        double low = events == 0 ? 0
                : new ChiSquaredDistribution(2.0 * events).inverseCumulativeProbability(alpha / 2) / 2;
        double high = new ChiSquaredDistribution(2.0 * events + 2).inverseCumulativeProbability(1 - alpha / 2) / 2;
        return new Proportions.Interval(events / exposure, low / exposure, high / exposure);
    }

    /** A correlation {@code r} of {@code n} pairs with its Fisher z interval; NaN bounds when n < 4. */
    public static Proportions.Interval correlation(double r, long n, double varianceFactor, double level) {
        if (n < 4 || Double.isNaN(r)) {
            return new Proportions.Interval(r, Double.NaN, Double.NaN);
        }
        if (Math.abs(r) >= 1) {
            return new Proportions.Interval(r, r, r);
        }
        double z = 0.5 * Math.log((1 + r) / (1 - r));
        double half = Proportions.z(level) * Math.sqrt(varianceFactor / (n - 3));
        return new Proportions.Interval(r, Math.tanh(z - half), Math.tanh(z + half));
    }
}
