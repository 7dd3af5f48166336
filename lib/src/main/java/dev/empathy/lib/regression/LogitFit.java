package dev.empathy.lib.regression;

import java.util.List;
import java.util.Locale;

/**
 * A fitted logistic regression: estimates on the log-odds scale with z tests ({@code exp} of an
 * estimate and its interval bounds are odds ratios), the fit's likelihood figures, whether IRLS
 * converged, and the {@link FitNote notes} of what the fit met (an outcome without variation,
 * separation, a term without variation, non-convergence, a single cluster). {@link #usable()}
 * says whether the estimates mean something. {@link #toString} reads like R's
 * {@code summary(glm)}, the notes last as R prints its warnings.
 */
public record LogitFit(List<Estimate> estimates, List<String> aliased, long n, int k, double logLikelihood,
                       double deviance, double nullDeviance, int iterations, boolean converged,
                       CovarianceType covarianceType, long clusters, double confidenceLevel, double[][] covariance,
                       List<FitNote> notes) implements NotedFit {

    public LogitFit {
        estimates = List.copyOf(estimates);
        aliased = List.copyOf(aliased);
        notes = List.copyOf(notes);
    }

    /** A fit without notes. */
    public LogitFit(List<Estimate> estimates, List<String> aliased, long n, int k, double logLikelihood,
                    double deviance, double nullDeviance, int iterations, boolean converged,
                    CovarianceType covarianceType, long clusters, double confidenceLevel, double[][] covariance) {
        this(estimates, aliased, n, k, logLikelihood, deviance, nullDeviance, iterations, converged, covarianceType,
                clusters, confidenceLevel, covariance, List.of());
    }




    /** The fit with {@code more} notes after its own (for example a single-level categorical, known to the caller). */
    public LogitFit withNotes(List<FitNote> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<FitNote> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new LogitFit(estimates, aliased, n, k, logLikelihood, deviance, nullDeviance, iterations, converged,
                covarianceType, clusters, confidenceLevel, covariance, all);
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
        s.append(FitNote.printed(notes));
        return s.toString();
    }
}
