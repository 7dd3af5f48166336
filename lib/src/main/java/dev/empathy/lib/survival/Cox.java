package dev.empathy.lib.survival;

import dev.empathy.lib.regression.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import dev.empathy.lib.regression.FitNote;
import dev.empathy.lib.regression.UnfittableException;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Cox proportional hazards by Newton-Raphson on the partial likelihood (Cox 1972), Efron's
 * approximation for ties by default (Efron 1977) or Breslow's, with step halving when a step
 * lowers the likelihood, until the log-likelihood changes by less than 1e-12 relative.
 * Covariates are centred first (the estimates do not change; {@code exp} stays in range), as R's
 * {@code coxph} does. Standard errors from the inverse information; z tests.
 *
 * <p>The loop takes a function from coefficients to the accumulated {@link CoxRiskSets}, so
 * the risk-set sums can come from arrays or from a Spark aggregation by time.
 */
public final class Cox {

    public static final int MAX_ITERATIONS = 50;
    public static final double TOLERANCE = 1e-12;

    private Cox() {
    }

    /** Fits on arrays; {@code x} by rows, {@code event} 1 for an event and 0 for censored. */
    public static CoxFit fit(List<String> names, double[][] x, double[] time, double[] event, Ties ties,
                             double confidenceLevel) {
        int n = time.length;
        int p = names.size();
        double[] mean = new double[p];
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] centred = new double[n][p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                centred[i][j] = x[i][j] - mean[j];
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(time[b], time[a]));
        long events = 0;
        for (double e : event) {
            events += e != 0 ? 1 : 0;
        }
        Function<double[], CoxRiskSets> pass = beta -> {
            CoxRiskSets sets = new CoxRiskSets(p, ties);
            int i = 0;
            while (i < n) {
                double t = time[order[i]];
                CoxRiskSets.TimeSums all = new CoxRiskSets.TimeSums(p);
                CoxRiskSets.TimeSums dead = new CoxRiskSets.TimeSums(p);
                long d = 0;
                double sumEta = 0;
                double[] sumX = new double[p];
                for (; i < n && time[order[i]] == t; i++) {
                    double[] xi = centred[order[i]];
                    double eta = dot(beta, xi);
                    double e = Math.exp(eta);
                    all.add(xi, e);
                    if (event[order[i]] != 0) {
                        dead.add(xi, e);
                        d++;
                        sumEta += eta;
                        for (int j = 0; j < p; j++) {
                            sumX[j] += xi[j];
                        }
                    }
                }
                sets.addTime(all, dead, d, sumEta, sumX);
            }
            return sets;
        };
        return solve(names, pass, n, events, ties, confidenceLevel);
    }

    /**
     * Newton-Raphson from zero with step halving.
     *
     * <p>Terms whose information is singular at zero (no variation among those at risk, or a
     * combination of other terms) are not estimated: listed in {@link CoxFit#aliased()}, as R's
     * NA. Each step factors the information with {@link InformationFactor}, so a matrix symmetric
     * only up to rounding never stops the fit, and a direction whose information vanishes on the
     * way (an estimate running to infinity) is not moved. At the end R's test for monotone
     * likelihood ({@code coxph.fit}): a coefficient whose next Newton step {@code |V U|} is above
     * {@code 1e-9} and above {@code sqrt(1e-9) |b|} (or whose information vanished) may be
     * infinite, and is noted as R warns "Loglik converged before variable".
     *
     * @param n      rows used (for the fit's record)
     * @param events ignored: the events are counted from the risk sets
     * @throws dev.empathy.lib.regression.UnfittableException when {@code n} is 0
     */
    public static CoxFit solve(List<String> names, Function<double[], CoxRiskSets> pass, long n, long events, Ties ties,
                               double confidenceLevel) {
        if (n == 0) {
            throw UnfittableException.noRows("cox");
        }
        int p = names.size();
        double[] beta = new double[p];
        CoxRiskSets current = pass.apply(beta);
        double nullLogLikelihood = current.logLikelihood();
        long eventCount = current.events();
        InformationFactor atZero = InformationFactor.of(current.information());
        int[] kept = java.util.stream.IntStream.range(0, p).filter(j -> !atZero.singular(j)).toArray();
        List<FitNote> notes = new ArrayList<>();
        if (eventCount == 0) {
            notes.add(FitNote.of(FitNote.Problem.NO_EVENTS, List.of(),
                    "no events among the %d rows: nothing to estimate", n));
        } else {
            notes.addAll(aliasNotes(names, kept, current.information()));
        }
        boolean converged = false;
        boolean diverged = false;
        boolean[] vanished = new boolean[p];
        int iterations = 0;
        while (kept.length > 0 && iterations < MAX_ITERATIONS) {
            InformationFactor factor = InformationFactor.of(sub(current.information(), kept));
            double[] step = factor.solve(sub(current.score(), kept));
            double[] next = new double[p];
            CoxRiskSets trial = null;
            for (int halving = 0; halving < 30; halving++) {
                double scale = Math.pow(0.5, halving);
                next = beta.clone();
                for (int i = 0; i < kept.length; i++) {
                    next[kept[i]] = beta[kept[i]] + scale * step[i];
                }
                trial = pass.apply(next);
                if (trial.logLikelihood() >= current.logLikelihood() - 1e-12 * Math.abs(current.logLikelihood())) {
                    break;
                }
            }
            iterations++;
            if (!Double.isFinite(trial.logLikelihood())) {
                // exp(eta) left the range of doubles: stop where the likelihood was last finite.
                diverged = true;
                break;
            }
            for (int i = 0; i < kept.length; i++) {
                vanished[kept[i]] = factor.singular(i);
            }
            double change = Math.abs(trial.logLikelihood() - current.logLikelihood());
            beta = next.clone();
            current = trial;
            if (change <= TOLERANCE * Math.abs(current.logLikelihood())) {
                converged = true;
                break;
            }
        }
        if (kept.length == 0) {
            converged = true;
        }
        double[][] information = sub(current.information(), kept);
        double[][] covariance = InformationFactor.of(information).inverse();
        double[] score = sub(current.score(), kept);
        List<String> infinite = new ArrayList<>();
        for (int i = 0; i < kept.length; i++) {
            double next = 0;
            for (int j = 0; j < kept.length; j++) {
                next += covariance[i][j] * score[j];
            }
            double b = beta[kept[i]];
            boolean runsAway = Math.abs(next) > 1e-9 && Math.abs(next) > Math.sqrt(1e-9) * Math.abs(b);
            if (vanished[kept[i]] || Double.isNaN(covariance[i][i]) || runsAway) {
                infinite.add(names.get(kept[i]));
            }
        }
        if (!infinite.isEmpty() && eventCount > 0) {
            notes.add(FitNote.of(FitNote.Problem.MONOTONE_LIKELIHOOD, infinite,
                    "Loglik converged before %s %s; coefficient may be infinite (monotone likelihood: the events "
                            + "are separated by %s)", infinite.size() == 1 ? "variable" : "variables",
                    String.join(", ", infinite), infinite.size() == 1 ? "it" : "them"));
        }
        if (!converged || diverged) {
            notes.add(FitNote.of(FitNote.Problem.NOT_CONVERGED, List.of(),
                    "Ran out of iterations and did not converge (%d Newton steps)", iterations));
        }
        NormalDistribution normal = new NormalDistribution();
        double q = normal.inverseCumulativeProbability(0.5 + confidenceLevel / 2);
        List<Estimate> estimates = new ArrayList<>();
        List<String> aliased = new ArrayList<>(names);
        for (int i = 0; i < kept.length; i++) {
            int j = kept[i];
            aliased.remove(names.get(j));
            double se = Math.sqrt(covariance[i][i]);
            double z = beta[j] / se;
            estimates.add(new Estimate(names.get(j), beta[j], se, z, 2 * normal.cumulativeProbability(-Math.abs(z)),
                    beta[j] - q * se, beta[j] + q * se));
        }
        return new CoxFit(estimates, n, eventCount, nullLogLikelihood, current.logLikelihood(), iterations,
                converged && !diverged, ties, covariance, aliased, notes);
    }

    /**
     * Notes for the terms not estimated: one per term with no information of its own (no
     * variation among those at risk at the event times), then one naming the combinations.
     */
    private static List<FitNote> aliasNotes(List<String> names, int[] kept, double[][] information) {
        List<FitNote> notes = new ArrayList<>();
        double largest = 0;
        for (int j = 0; j < information.length; j++) {
            largest = Math.max(largest, information[j][j]);
        }
        java.util.Set<Integer> keptSet = new java.util.HashSet<>();
        for (int j : kept) {
            keptSet.add(j);
        }
        List<String> combinations = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            if (keptSet.contains(j)) {
                continue;
            }
            if (!(information[j][j] > InformationFactor.TOLERANCE * largest)) {
                notes.add(FitNote.of(FitNote.Problem.CONSTANT_TERM, List.of(names.get(j)),
                        "%s has no variation among those at risk at the event times: not estimated", names.get(j)));
            } else {
                combinations.add(names.get(j));
            }
        }
        if (!combinations.isEmpty()) {
            notes.add(FitNote.of(FitNote.Problem.ALIASED, combinations,
                    "%d not defined because of singularities (a combination of other terms): %s",
                    combinations.size(), String.join(", ", combinations)));
        }
        return notes;
    }

    private static double[][] sub(double[][] a, int[] kept) {
        double[][] out = new double[kept.length][kept.length];
        for (int i = 0; i < kept.length; i++) {
            for (int j = 0; j < kept.length; j++) {
                out[i][j] = a[kept[i]][kept[j]];
            }
        }
        return out;
    }

    private static double[] sub(double[] a, int[] kept) {
        double[] out = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            out[i] = a[kept[i]];
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

}
