package dev.empathy.lib.regression;

/**
 * One coefficient of a fitted model with its standard error, test statistic, two-sided p-value
 * and confidence interval (at the level the fit was made with).
 */
public record Estimate(String term, double estimate, double stdError, double statistic, double pValue,
                       double ciLow, double ciHigh) {

    /** A ratio with its interval: the exponential of a log-scale estimate and of its bounds. */
    public record Ratio(double value, double low, double high) {
    }

    /**
     * The estimate and its interval on the ratio scale (odds ratio of a logit term, hazard ratio
     * of a Cox term): {@code exp} of each.
     */
    public Ratio ratio() {
        return new Ratio(Math.exp(estimate), Math.exp(ciLow), Math.exp(ciHigh));
    }

    /** A term that could not be estimated (dropped as aliased, R's NA): every figure NaN. */
    public static Estimate notEstimated(String term) {
        double nan = Double.NaN;
        return new Estimate(term, nan, nan, nan, nan, nan, nan);
    }
}
