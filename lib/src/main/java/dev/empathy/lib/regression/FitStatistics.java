package dev.empathy.lib.regression;

/**
 * Whole-model figures of a linear fit.
 *
 * @param n               observations used
 * @param k               coefficients estimated (aliased terms excluded)
 * @param rSquared        {@code 1 - RSS/TSS}; TSS about the mean with an intercept, about zero without (as R)
 * @param adjRSquared     {@code 1 - (1 - R^2)(n - i)/(n - k)}, {@code i} = 1 with an intercept, else 0
 * @param fStatistic      Wald F of every coefficient but the intercept, with the fit's covariance
 *                        (the classical overall F when standard errors are classical)
 * @param fDf1            numerator degrees of freedom of F
 * @param fDf2            denominator degrees of freedom of F (n - k, or G - 1 when clustered)
 * @param fPValue         p-value of F
 * @param rmse            residual standard error, {@code sqrt(RSS / (n - k))}
 * @param clusters        number of clusters, 0 when not clustered
 * @param logLikelihood   Gaussian log-likelihood at the estimates, {@code -n/2 (log(2 pi RSS/n) + 1)}
 * @param residualSumSquares RSS
 * @param residualDf      {@code n - k}, less the parameters of absorbed fixed effects; with them,
 *                        the R-squared figures are "within" (of the demeaned data)
 */
public record FitStatistics(long n, int k, double rSquared, double adjRSquared, double fStatistic, double fDf1,
                            double fDf2, double fPValue, double rmse, long clusters, double logLikelihood,
                            double residualSumSquares, double residualDf) {
}
