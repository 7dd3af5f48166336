package dev.empathy.lib.regression;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Logistic regression by iteratively reweighted least squares, each step solved by the
 * updating QR of {@link QrAccumulator} (never forming {@code X'WX}), until the deviance changes
 * by less than {@code 1e-12} relative (R's {@code glm} stops at 1e-8). Standard errors: classical
 * {@code (X'WX)^-1} or cluster-robust with meat {@code sum_g u_g u_g'},
 * {@code u_g = sum_{i in g} (y_i - p_i) x_i}, scaled as R's {@code sandwich::vcovCL(type = "HC1")}
 * ({@code G/(G-1) (n-1)/(n-k)}); tests and intervals use the normal distribution.
 *
 * <p>The loop is written against a pass function (coefficients to a merged {@link LogitPass}),
 * so the same code runs over arrays and over Spark partitions.
 */
public final class Logit {

    public static final int MAX_ITERATIONS = 50;
    public static final double TOLERANCE = 1e-12;

    private Logit() {
    }

    /** The result of the iterations, before standard errors. */
    public record Solved(double[] beta, LeastSquaresSolution solution, LogitPass last, int iterations,
                         boolean converged, double nullDeviance, boolean intercept, double tolerance) {
    }

    /**
     * Runs IRLS.
     *
     * @param pass      from coefficients (of every design column) to the merged pass at them
     * @param width     the design width
     * @param intercept whether column 0 is the intercept
     * @throws UnfittableException without rows, or with fewer rows than {@code width}
     */
    public static Solved iterate(Function<double[], LogitPass> pass, int width, boolean intercept, double tolerance) {
        double[] beta = new double[width];
        LogitPass current = pass.apply(beta);
        long n = current.rows();
        if (n == 0) {
            throw UnfittableException.noRows("logit");
        }
        if (n < width) {
            throw UnfittableException.tooFewRows("logit", n, width);
        }
        double mean = current.sumY() / n;
        double nullDeviance = intercept
                ? -2 * n * (mean > 0 && mean < 1 ? mean * Math.log(mean) + (1 - mean) * Math.log(1 - mean) : 0)
                : -2 * n * Math.log(0.5);
        double deviance = -2 * current.logLikelihood();
        LeastSquaresSolution solution = null;
        boolean converged = false;
        int iterations = 0;
        while (iterations < MAX_ITERATIONS) {
            solution = LeastSquaresSolution.solve(current.qr(), false, tolerance);
            double[] next = new double[width];
            double[] b = solution.originalCoefficients();
            int[] kept = solution.kept();
            for (int j = 0; j < kept.length; j++) {
                next[kept[j]] = b[j];
            }
            beta = next;
            iterations++;
            current = pass.apply(beta);
            double newDeviance = -2 * current.logLikelihood();
            if (Math.abs(newDeviance - deviance) / (Math.abs(newDeviance) + 0.1) < TOLERANCE) {
                deviance = newDeviance;
                converged = true;
                break;
            }
            deviance = newDeviance;
        }
        // The factor at the final coefficients gives (X'WX)^-1.
        solution = LeastSquaresSolution.solve(current.qr(), false, tolerance);
        return new Solved(beta, solution, current, iterations, converged, nullDeviance, intercept, tolerance);
    }

    public static LogitFit fit(dev.empathy.lib.regression.Design design, double[] y, Object[] cluster,
                               OlsOptions options) {
        for (double v : y) {
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("logit: the response must be 0 or 1, found " + v);
            }
        }
        double[] row = new double[design.width()];
        Solved solved = iterate(beta -> {
            LogitPass p = new LogitPass(beta);
            for (int i = 0; i < y.length; i++) {
                p.add(design.row(i, row), y[i]);
            }
            return p;
        }, design.width(), design.intercept(), options.collinearityTolerance());
        RobustMeat meat = null;
        if (options.covariance() != CovarianceType.CLASSICAL) {
            boolean clustered = options.covariance() == CovarianceType.CLUSTER;
            if (clustered && (cluster == null || cluster.length != y.length)) {
                throw new IllegalArgumentException("cluster standard errors need one cluster key per row");
            }
            int[] kept = solved.solution().kept();
            meat = new RobustMeat(options.covariance(), kept.length);
            double[] x = new double[kept.length];
            for (int i = 0; i < y.length; i++) {
                design.row(i, row);
                for (int j = 0; j < kept.length; j++) {
                    x[j] = row[kept[j]];
                }
                meat.add(x, y[i] - probability(solved.beta(), row), clustered ? cluster[i] : null);
            }
        }
        return finish(design.names(), solved, meat, options);
    }

    /** The fitted probability of one design row. */
    public static double probability(double[] beta, double[] row) {
        double eta = 0;
        for (int j = 0; j < beta.length; j++) {
            eta += beta[j] * row[j];
        }
        return 1 / (1 + Math.exp(-eta));
    }

    public static LogitFit finish(List<String> names, Solved solved, RobustMeat meat, OlsOptions options) {
        LeastSquaresSolution s = solved.solution();
        int[] kept = s.kept();
        int k = kept.length;
        LogitPass last = solved.last();
        long n = last.rows();
        List<FitNote> notes = new ArrayList<>();
        boolean constant = last.sumY() == 0 || last.sumY() == n;
        if (constant) {
            notes.add(FitNote.of(FitNote.Problem.CONSTANT_RESPONSE, List.of(),
                    "the outcome has no variation (%s on all %d rows): nothing to explain, the estimates run to "
                            + "infinity", last.sumY() == 0 ? "0" : "1", n));
        }
        notes.addAll(Ols.aliasNotes(names, kept,
                LeastSquaresSolution.withoutVariation(last.qr(), kept, solved.intercept(), solved.tolerance())));
        if (!constant && last.extremeRows() > 0) {
            notes.add(FitNote.of(FitNote.Problem.SEPARATION, List.of(),
                    "fitted probabilities numerically 0 or 1 occurred (%d of %d rows): the outcome is separated "
                            + "or nearly so by the terms, and some estimates run to infinity", last.extremeRows(), n));
        }
        if (!solved.converged()) {
            notes.add(FitNote.of(FitNote.Problem.NOT_CONVERGED, List.of(),
                    "the algorithm did not converge in %d iterations", solved.iterations()));
        }
        double[][] bread = s.xtxInverseOriginal();
        double[][] v = bread;
        long clusters = 0;
        if (meat != null) {
            RobustMeat.Sandwich sandwich = meat.sandwich(bread, n, notes);
            v = sandwich.covariance();
            clusters = sandwich.clusters();
        }
        NormalDistribution normal = new NormalDistribution();
        double q = normal.inverseCumulativeProbability(0.5 + options.confidenceLevel() / 2);
        List<Estimate> estimates = new ArrayList<>();
        List<String> aliased = new ArrayList<>(names);
        for (int j = 0; j < k; j++) {
            String term = names.get(kept[j]);
            aliased.remove(term);
            double b = solved.beta()[kept[j]];
            double se = Math.sqrt(v[j][j]);
            double z = b / se;
            estimates.add(new Estimate(term, b, se, z, 2 * normal.cumulativeProbability(-Math.abs(z)),
                    b - q * se, b + q * se));
        }
        double logLik = solved.last().logLikelihood();
        return new LogitFit(estimates, aliased, n, k, logLik, -2 * logLik, solved.nullDeviance(), solved.iterations(),
                solved.converged(), options.covariance(), clusters, options.confidenceLevel(), v, notes);
    }
}
