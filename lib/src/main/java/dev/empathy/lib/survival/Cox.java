package dev.empathy.lib.survival;

import dev.empathy.lib.regression.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

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

    /** Newton-Raphson from zero with step halving. */
    public static CoxFit solve(List<String> names, Function<double[], CoxRiskSets> pass, long n, long events, Ties ties,
                               double confidenceLevel) {
        int p = names.size();
        double[] beta = new double[p];
        CoxRiskSets current = pass.apply(beta);
        double nullLogLikelihood = current.logLikelihood();
        boolean converged = false;
        int iterations = 0;
        while (iterations < MAX_ITERATIONS) {
            double[] step = solve(current.information(), current.score());
            double[] next = new double[p];
            CoxRiskSets trial = null;
            for (int halving = 0; halving < 30; halving++) {
                double scale = Math.pow(0.5, halving);
                for (int j = 0; j < p; j++) {
                    next[j] = beta[j] + scale * step[j];
                }
                trial = pass.apply(next);
                if (trial.logLikelihood() >= current.logLikelihood() - 1e-12 * Math.abs(current.logLikelihood())) {
                    break;
                }
            }
            iterations++;
            double change = Math.abs(trial.logLikelihood() - current.logLikelihood());
            beta = next.clone();
            current = trial;
            if (change <= TOLERANCE * Math.abs(current.logLikelihood())) {
                converged = true;
                break;
            }
        }
        double[][] covariance = invert(current.information());
        NormalDistribution normal = new NormalDistribution();
        double q = normal.inverseCumulativeProbability(0.5 + confidenceLevel / 2);
        List<Estimate> estimates = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            double se = Math.sqrt(covariance[j][j]);
            double z = beta[j] / se;
            estimates.add(new Estimate(names.get(j), beta[j], se, z, 2 * normal.cumulativeProbability(-Math.abs(z)),
                    beta[j] - q * se, beta[j] + q * se));
        }
        return new CoxFit(estimates, n, events, nullLogLikelihood, current.logLikelihood(), iterations, converged, ties,
                covariance);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] solve(double[][] a, double[] b) {
        RealMatrix m = new Array2DRowRealMatrix(a, true);
        return new CholeskyDecomposition(m, 1e-12, 1e-14).getSolver().solve(new ArrayRealVector(b, false)).toArray();
    }

    private static double[][] invert(double[][] a) {
        return new CholeskyDecomposition(new Array2DRowRealMatrix(a, true), 1e-12, 1e-14).getSolver().getInverse()
                .getData();
    }
}
