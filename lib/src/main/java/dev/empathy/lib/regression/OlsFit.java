package dev.empathy.lib.regression;

import java.util.List;
import java.util.Locale;

/**
 * A fitted linear model: one {@link Estimate} per estimated term, the terms dropped as
 * collinear (as R shows NA), the whole-model statistics, how it was made, and the
 * {@link FitNote notes} of what the fit met (a response without variation, a term without
 * variation, no residual variance, a single cluster, a single level). {@link #usable()} says
 * whether the estimates mean something. {@link #toString} reads like R's {@code summary(lm)},
 * the notes last as R prints its warnings.
 */
public record OlsFit(List<Estimate> estimates, List<String> aliased, FitStatistics statistics,
                     CovarianceType covarianceType, double confidenceLevel, double[][] covariance,
                     List<FitNote> notes) implements NotedFit {

    public OlsFit {
        estimates = List.copyOf(estimates);
        aliased = List.copyOf(aliased);
        notes = List.copyOf(notes);
    }

    /** A fit without notes. */
    public OlsFit(List<Estimate> estimates, List<String> aliased, FitStatistics statistics,
                  CovarianceType covarianceType, double confidenceLevel, double[][] covariance) {
        this(estimates, aliased, statistics, covarianceType, confidenceLevel, covariance, List.of());
    }




    /** The fit with {@code more} notes after its own (for example a single-level categorical, known to the caller). */
    public OlsFit withNotes(List<FitNote> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<FitNote> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new OlsFit(estimates, aliased, statistics, covarianceType, confidenceLevel, covariance, all);
    }

    public List<String> terms() {
        return estimates.stream().map(Estimate::term).toList();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        int width = Math.max(12, estimates.stream().mapToInt(e -> e.term().length()).max().orElse(0) + 1);
        String statName = "t value";
        s.append(String.format(Locale.ROOT, "Coefficients (%s standard errors):%n", covarianceType.label()));
        s.append(String.format(Locale.ROOT, "%-" + width + "s %14s %14s %9s %10s%n", "", "Estimate", "Std. Error",
                statName, "Pr(>|t|)"));
        for (Estimate e : estimates) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s %14.6g %14.6g %9.3f %10s%n", e.term(),
                    e.estimate(), e.stdError(), e.statistic(), pValue(e.pValue())));
        }
        if (!aliased.isEmpty()) {
            s.append(String.format(Locale.ROOT, "(%d not defined because of singularities: %s)%n", aliased.size(),
                    String.join(", ", aliased)));
        }
        FitStatistics f = statistics;
        s.append(String.format(Locale.ROOT, "%nResidual standard error: %.4g on %.0f degrees of freedom%n", f.rmse(),
                f.residualDf()));
        if (f.clusters() > 0) {
            s.append(String.format(Locale.ROOT, "Clusters: %d%n", f.clusters()));
        }
        s.append(String.format(Locale.ROOT, "Multiple R-squared:  %.4g,\tAdjusted R-squared:  %.4g%n", f.rSquared(),
                f.adjRSquared()));
        if (f.fDf1() > 0) {
            s.append(String.format(Locale.ROOT, "F-statistic: %.4g on %.0f and %.0f DF,  p-value: %s%n",
                    f.fStatistic(), f.fDf1(), f.fDf2(), pValue(f.fPValue())));
        }
        s.append(FitNote.printed(notes));
        return s.toString();
    }

    /** As R prints p-values: below machine precision as {@code < 2.2e-16}. */
    static String pValue(double p) {
        return p < 2.2e-16 ? "< 2.2e-16" : String.format(Locale.ROOT, "%.4g", p);
    }
}
