package dev.empathy.lib.survival;

import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.NotedFit;
import dev.empathy.lib.regression.FitNote;
import java.util.List;
import java.util.Locale;

/**
 * A fitted Cox proportional hazards model: log hazard ratios with z tests ({@code exp} of an
 * estimate is the hazard ratio), the partial log-likelihood at zero and at the estimates, the
 * likelihood-ratio test, the terms not estimated (R's NA) and the {@link FitNote notes} of what
 * the fit met (no events, monotone likelihood, non-convergence, a term without variation).
 * {@link #usable()} says whether the estimates mean something. {@link #toString} reads like R's
 * {@code summary(coxph)}, the notes last as R prints its warnings.
 *
 * @param covariance over the estimated terms, in the order of {@code estimates}
 */
public record CoxFit(List<Estimate> estimates, long n, long events, double nullLogLikelihood, double logLikelihood,
                     int iterations, boolean converged, Ties ties, double[][] covariance, List<String> aliased,
                     List<FitNote> notes) implements NotedFit {

    public CoxFit {
        estimates = List.copyOf(estimates);
        aliased = List.copyOf(aliased);
        notes = List.copyOf(notes);
    }

    /** A fit with every term estimated and no notes. */
    public CoxFit(List<Estimate> estimates, long n, long events, double nullLogLikelihood, double logLikelihood,
                  int iterations, boolean converged, Ties ties, double[][] covariance) {
        this(estimates, n, events, nullLogLikelihood, logLikelihood, iterations, converged, ties, covariance, List.of(),
                List.of());
    }




    /** The same fit with other row and event counts (a caller that counts rows itself). */
    public CoxFit withCounts(long rows, long eventCount) {
        return new CoxFit(estimates, rows, eventCount, nullLogLikelihood, logLikelihood, iterations, converged, ties,
                covariance, aliased, notes);
    }

    /** The fit with {@code more} notes after its own (for example a single-level categorical, known to the caller). */
    public CoxFit withNotes(List<FitNote> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<FitNote> all = new java.util.ArrayList<>(notes);
        all.addAll(more);
        return new CoxFit(estimates, n, events, nullLogLikelihood, logLikelihood, iterations, converged, ties,
                covariance, aliased, all);
    }

    public double likelihoodRatio() {
        return 2 * (logLikelihood - nullLogLikelihood);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "  n= %d, number of events= %d (ties: %s)%n%n", n, events,
                ties.name().toLowerCase(Locale.ROOT)));
        int width = Math.max(12, estimates.stream().mapToInt(e -> e.term().length()).max().orElse(0) + 1);
        s.append(String.format(Locale.ROOT, "%-" + width + "s %14s %12s %14s %9s %10s%n", "", "coef", "exp(coef)",
                "se(coef)", "z", "Pr(>|z|)"));
        for (Estimate e : estimates) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s %14.6g %12.6g %14.6g %9.3f %10.4g%n", e.term(),
                    e.estimate(), Math.exp(e.estimate()), e.stdError(), e.statistic(), e.pValue()));
        }
        if (!aliased.isEmpty()) {
            s.append(String.format(Locale.ROOT, "(%d not defined because of singularities: %s)%n", aliased.size(),
                    String.join(", ", aliased)));
        }
        s.append(String.format(Locale.ROOT, "%nLikelihood ratio test= %.2f  on %d df; log-likelihood %.4f (null %.4f)%n",
                likelihoodRatio(), estimates.size(), logLikelihood, nullLogLikelihood));
        s.append(FitNote.printed(notes));
        return s.toString();
    }
}
