package dev.empathy.lib.survival;

import dev.empathy.lib.regression.Estimate;
import java.util.List;
import java.util.Locale;

/**
 * A fitted Cox proportional hazards model: log hazard ratios with z tests ({@code exp} of an
 * estimate is the hazard ratio), the partial log-likelihood at zero and at the estimates, and
 * the likelihood-ratio test. {@link #toString} reads like R's {@code summary(coxph)}.
 */
public record CoxFit(List<Estimate> estimates, long n, long events, double nullLogLikelihood, double logLikelihood,
                     int iterations, boolean converged, Ties ties, double[][] covariance) {

    public CoxFit {
        estimates = List.copyOf(estimates);
    }

    public Estimate estimate(String term) {
        return estimates.stream().filter(e -> e.term().equals(term)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no term " + term));
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
        s.append(String.format(Locale.ROOT, "%nLikelihood ratio test= %.2f  on %d df; log-likelihood %.4f (null %.4f)%n",
                likelihoodRatio(), estimates.size(), logLikelihood, nullLogLikelihood));
        return s.toString();
    }
}
