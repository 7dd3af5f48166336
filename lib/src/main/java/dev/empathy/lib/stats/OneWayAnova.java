package dev.empathy.lib.stats;

/**
 * Variance components of a one-way random-effects model {@code v = mu + u_group + e} by the
 * ANOVA (method of moments) estimator, from sums any engine can aggregate: with {@code c}
 * groups and {@code n} values, the within-group mean square {@code MSW = SSW / (n - c)}, the
 * between-group mean square {@code MSB = SSB / (c - 1)}, and for unequal group sizes
 * {@code n0 = (n - sum n_i^2 / n) / (c - 1)}; then {@code s2e = MSW} and
 * {@code s2u = max(0, (MSB - MSW) / n0)} (Searle, Casella and McCulloch 1992, section 3.5).
 *
 * @param mean    the grand mean of the values
 * @param between the between-group variance component {@code s2u}
 * @param within  the within-group variance {@code s2e}
 * @param groups  {@code c}
 * @param values  {@code n}
 */
public record OneWayAnova(double mean, double between, double within, long groups, long values) {

    /**
     * @param groups                {@code c}, the number of groups with at least one value
     * @param values                {@code n}, the number of values
     * @param sum                   the sum of the values
     * @param sumSquares            the sum of the squared values
     * @param sumGroupTotalSquares  {@code sum_i T_i^2 / n_i}, {@code T_i} a group's total
     * @param sumGroupSizeSquares   {@code sum_i n_i^2}
     * @return the components; NaN figures when there are fewer than 2 groups or no group has two values
     */
    public static OneWayAnova of(long groups, long values, double sum, double sumSquares, double sumGroupTotalSquares,
                                 double sumGroupSizeSquares) {
        if (groups < 2 || values <= groups) {
            return new OneWayAnova(Double.NaN, Double.NaN, Double.NaN, groups, values);
        }
        double grand = sum / values;
        double within = (sumSquares - sumGroupTotalSquares) / (values - groups);
        double between = (sumGroupTotalSquares - values * grand * grand) / (groups - 1);
        double n0 = (values - sumGroupSizeSquares / values) / (groups - 1);
        return new OneWayAnova(grand, Math.max(0, (between - within) / n0), within, groups, values);
    }
}
