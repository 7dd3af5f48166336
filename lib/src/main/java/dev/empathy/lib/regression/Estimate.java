package dev.empathy.lib.regression;

/**
 * One coefficient of a fitted model with its standard error, test statistic, two-sided p-value
 * and confidence interval (at the level the fit was made with).
 */
public record Estimate(String term, double estimate, double stdError, double statistic, double pValue,
                       double ciLow, double ciHigh) {

    /** A term that could not be estimated (dropped as aliased, R's NA): every figure NaN. */
    public static Estimate notEstimated(String term) {
        double nan = Double.NaN;
        return new Estimate(term, nan, nan, nan, nan, nan, nan);
    }
}
