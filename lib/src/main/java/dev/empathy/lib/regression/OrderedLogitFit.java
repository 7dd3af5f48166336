package dev.empathy.lib.regression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fitted proportional-odds logit ({@link OrderedLogit}): the coefficients on the log-odds
 * scale ({@code exp} of one is the odds ratio of a higher over a lower response, the same at
 * every cut), the thresholds {@code zeta_j} named {@code 1|2}, {@code 2|3}, ... as R's
 * {@code polr} names them, z tests, the log-likelihood, and the {@link FitNote notes} of what the
 * fit met. {@link #estimates()} is the coefficients then the thresholds, the order of
 * {@link #covariance()}. {@link #toString} reads like R's {@code summary(polr)}.
 *
 * @param levels            the response's ordered levels, as written
 * @param nullLogLikelihood of the model without covariates (thresholds only)
 */
public record OrderedLogitFit(List<Estimate> coefficients, List<Estimate> thresholds, List<String> levels,
                              List<String> aliased, long n, double logLikelihood, double nullLogLikelihood,
                              int iterations, boolean converged, CovarianceType covarianceType, long clusters,
                              double confidenceLevel, double[][] covariance, List<FitNote> notes) implements NotedFit {

    public OrderedLogitFit {
        coefficients = List.copyOf(coefficients);
        thresholds = List.copyOf(thresholds);
        levels = List.copyOf(levels);
        aliased = List.copyOf(aliased);
        notes = List.copyOf(notes);
    }

    /** The coefficients, then the thresholds. */
    @Override
    public List<Estimate> estimates() {
        List<Estimate> all = new ArrayList<>(coefficients);
        all.addAll(thresholds);
        return all;
    }

    /** Parameters estimated: coefficients and thresholds (R's {@code edf}). */
    public int parameters() {
        return coefficients.size() + thresholds.size();
    }

    public double deviance() {
        return -2 * logLikelihood;
    }

    public double aic() {
        return deviance() + 2 * parameters();
    }

    /** The fit with {@code more} notes after its own (for example a single-level categorical). */
    public OrderedLogitFit withNotes(List<FitNote> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<FitNote> all = new ArrayList<>(notes);
        all.addAll(more);
        return new OrderedLogitFit(coefficients, thresholds, levels, aliased, n, logLikelihood, nullLogLikelihood,
                iterations, converged, covarianceType, clusters, confidenceLevel, covariance, all);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        int width = Math.max(12, estimates().stream().mapToInt(e -> e.term().length()).max().orElse(0) + 1);
        s.append(String.format(Locale.ROOT, "Coefficients (%s standard errors):%n", covarianceType.label()));
        table(s, coefficients, width, true);
        if (!aliased.isEmpty()) {
            s.append(String.format(Locale.ROOT, "(%d not defined because of singularities: %s)%n", aliased.size(),
                    String.join(", ", aliased)));
        }
        s.append(String.format(Locale.ROOT, "%nThresholds (intercepts), levels %s:%n", String.join(" < ", levels)));
        table(s, thresholds, width, false);
        s.append(String.format(Locale.ROOT, "%nResidual Deviance: %.2f  (null: %.2f)%n", deviance(),
                -2 * nullLogLikelihood));
        if (clusters > 0) {
            s.append(String.format(Locale.ROOT, "Clusters: %d%n", clusters));
        }
        s.append(String.format(Locale.ROOT, "AIC: %.2f%n%nNumber of Newton-Raphson iterations: %d%s%n", aic(),
                iterations, converged ? "" : " (did not converge)"));
        s.append(FitNote.printed(notes));
        return s.toString();
    }

    private static void table(StringBuilder s, List<Estimate> rows, int width, boolean ratio) {
        s.append(String.format(Locale.ROOT, "%-" + width + "s %14s %14s %9s %10s%s%n", "", "Estimate", "Std. Error",
                "z value", "Pr(>|z|)", ratio ? String.format(Locale.ROOT, " %12s", "Odds ratio") : ""));
        for (Estimate e : rows) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s %14.6g %14.6g %9.3f %10s%s%n", e.term(),
                    e.estimate(), e.stdError(), e.statistic(), OlsFit.pValue(e.pValue()),
                    ratio ? String.format(Locale.ROOT, " %12.6g", Math.exp(e.estimate())) : ""));
        }
    }
}
