package dev.empathy.lib.regression;

import java.util.List;
import java.util.Locale;

/**
 * A fitted logistic regression: estimates on the log-odds scale with z tests ({@code exp} of an
 * estimate and its interval bounds are odds ratios), the fit's likelihood figures, and whether
 * IRLS converged. {@link #toString} reads like R's {@code summary(glm)}.
 */
public record LogitFit(List<Estimate> estimates, List<String> aliased, long n, int k, double logLikelihood,
                       double deviance, double nullDeviance, int iterations, boolean converged,
                       CovarianceType covarianceType, long clusters, double confidenceLevel, double[][] covariance) {

    public LogitFit {
        estimates = List.copyOf(estimates);
        aliased = List.copyOf(aliased);
    }

    public Estimate estimate(String term) {
        return estimates.stream().filter(e -> e.term().equals(term)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no term " + term));
    }

    public double aic() {
        return -2 * logLikelihood + 2 * k;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        int width = Math.max(12, estimates.stream().mapToInt(e -> e.term().length()).max().orElse(0) + 1);
        s.append(String.format(Locale.ROOT, "Coefficients (%s standard errors):%n", covarianceType.label()));
        s.append(String.format(Locale.ROOT, "%-" + width + "s %14s %14s %9s %10s %12s%n", "", "Estimate", "Std. Error",
                "z value", "Pr(>|z|)", "Odds ratio"));
        for (Estimate e : estimates) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s %14.6g %14.6g %9.3f %10s %12.6g%n", e.term(),
                    e.estimate(), e.stdError(), e.statistic(), OlsFit.pValue(e.pValue()), Math.exp(e.estimate())));
        }
        if (!aliased.isEmpty()) {
            s.append(String.format(Locale.ROOT, "(%d not defined because of singularities: %s)%n", aliased.size(),
                    String.join(", ", aliased)));
        }
        s.append(String.format(Locale.ROOT, "%n    Null deviance: %.2f  on %d  degrees of freedom%n", nullDeviance, n - 1));
        s.append(String.format(Locale.ROOT, "Residual deviance: %.2f  on %d  degrees of freedom%n", deviance, n - k));
        if (clusters > 0) {
            s.append(String.format(Locale.ROOT, "Clusters: %d%n", clusters));
        }
        s.append(String.format(Locale.ROOT, "AIC: %.2f%n%nNumber of Fisher Scoring iterations: %d%s%n", aic(),
                iterations, converged ? "" : " (did not converge)"));
        return s.toString();
    }
}
