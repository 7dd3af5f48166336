package dev.empathy.lib.regression;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Logistic regression by iteratively reweighted least squares, until the deviance changes
 * by less than {@code 1e-12} relative (R's {@code glm} stops at 1e-8). Standard errors: classical
 * {@code (X'WX)^-1} or cluster-robust with meat {@code sum_g u_g u_g'},
 * {@code u_g = sum_{i in g} (y_i - p_i) x_i}, scaled as R's {@code sandwich::vcovCL(type = "HC1")}
 * ({@code G/(G-1) (n-1)/(n-k)}); tests and intervals use the normal distribution.
 *
 * <p>The first and the last pass factor the weighted design by the updating QR of
 * {@link QrAccumulator} ({@link LogitPass}): the first decides the aliased columns, the last gives
 * {@code (X'WX)^-1} at the estimates. The Newton steps between are solved from the Gram matrix
 * {@code X'WX} of the kept columns in delta form ({@link LogitGramPass}), which costs a fraction
 * of a QR pass on sparse design rows and converges to the same estimates.
 *
 * <p>The loop is written against {@link Passes} (coefficients to a merged pass of either kind),
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
     * The two passes over the same rows that {@link #iterate} asks for, each one pass over the
     * data (one Spark job over partitions, merged in a fixed order).
     */
    public interface Passes {
        /** The QR pass at {@code beta} (coefficients of every design column). */
        LogitPass exact(double[] beta);

        /** The Gram pass at {@code beta} over the design columns {@code kept} (ascending). */
        LogitGramPass cheap(double[] beta, int[] kept);
    }

    /**
     * Runs IRLS. The first pass is a QR pass: its solution decides the kept (non-aliased) columns
     * by the collinearity tolerance and gives the first step. The steps after it are Newton steps
     * in delta form from cheap Gram passes ({@link LogitGramPass}), tested for convergence on their
     * deviance; one last QR pass at the converged coefficients gives the solution, {@code (X'WX)^-1}
     * and the notes, as the all-QR loop did. A Gram matrix that is not numerically positive definite
     * sends the rest of the fit back to QR steps, as does a last factor that keeps a column the
     * Newton steps did not estimate. An ordinary fit thus costs two QR passes, however many steps.
     *
     * @param passes    the passes over the rows
     * @param width     the design width
     * @param intercept whether column 0 is the intercept
     * @throws UnfittableException without rows, or with fewer rows than {@code width}
     */
    public static Solved iterate(Passes passes, int width, boolean intercept, double tolerance) {
        return iterate(passes, width, intercept, tolerance, false);
    }

    /** As {@link #iterate(Passes, int, boolean, double)}; {@code qrSteps}: every step by the QR (the reference route). */
    static Solved iterate(Passes passes, int width, boolean intercept, double tolerance, boolean qrSteps) {
        double[] beta = new double[width];
        LogitPass exact = passes.exact(beta);
        long n = exact.rows();
        if (n == 0) {
            throw UnfittableException.noRows("logit");
        }
        if (n < width) {
            throw UnfittableException.tooFewRows("logit", n, width);
        }
        double mean = exact.sumY() / n;
        double nullDeviance = intercept
                ? -2 * n * (mean > 0 && mean < 1 ? mean * Math.log(mean) + (1 - mean) * Math.log(1 - mean) : 0)
                : -2 * n * Math.log(0.5);
        double deviance = -2 * exact.logLikelihood();
        // Exactly one of exact and cheap is the pass at beta.
        LogitGramPass cheap = null;
        int[] kept = null;
        LeastSquaresSolution solution;
        boolean converged = false;
        int iterations = 0;
        while (true) {
            while (iterations < MAX_ITERATIONS) {
                if (exact != null) {
                    solution = LeastSquaresSolution.solve(exact.qr(), false, tolerance);
                    kept = solution.kept();
                    double[] next = new double[width];
                    double[] b = solution.originalCoefficients();
                    for (int j = 0; j < kept.length; j++) {
                        next[kept[j]] = b[j];
                    }
                    beta = next;
                } else {
                    double[] step = cheap.newtonStep(tolerance);
                    if (step == null) {
                        // The QR pass at the same coefficients takes this step and the rest.
                        qrSteps = true;
                        exact = passes.exact(beta);
                        cheap = null;
                        continue;
                    }
                    beta = beta.clone();
                    for (int j = 0; j < kept.length; j++) {
                        beta[kept[j]] += step[j];
                    }
                }
                iterations++;
                double newDeviance;
                if (qrSteps) {
                    exact = passes.exact(beta);
                    newDeviance = -2 * exact.logLikelihood();
                } else {
                    exact = null;
                    cheap = passes.cheap(beta, kept);
                    newDeviance = -2 * cheap.logLikelihood();
                }
                if (Math.abs(newDeviance - deviance) / (Math.abs(newDeviance) + 0.1) < TOLERANCE) {
                    converged = true;
                    break;
                }
                deviance = newDeviance;
            }
            if (exact == null) {
                exact = passes.exact(beta);
                cheap = null;
            }
            // The factor at the final coefficients gives (X'WX)^-1.
            solution = LeastSquaresSolution.solve(exact.qr(), false, tolerance);
            if (qrSteps || iterations >= MAX_ITERATIONS || keeps(kept, solution.kept())) {
                return new Solved(beta, solution, exact, iterations, converged, nullDeviance, intercept, tolerance);
            }
            // A column kept now was not estimated (its coefficient is 0): go on by QR steps.
            qrSteps = true;
            converged = false;
        }
    }

    /** Whether every column of {@code now} is among {@code before} (both ascending). */
    private static boolean keeps(int[] before, int[] now) {
        int i = 0;
        for (int c : now) {
            while (i < before.length && before[i] < c) {
                i++;
            }
            if (i == before.length || before[i] != c) {
                return false;
            }
        }
        return true;
    }

    public static LogitFit fit(dev.empathy.lib.regression.Design design, double[] y, Object[] cluster,
                               OlsOptions options) {
        for (double v : y) {
            if (v != 0 && v != 1) {
                throw new IllegalArgumentException("logit: the response must be 0 or 1, found " + v);
            }
        }
        double[] row = new double[design.width()];
        Solved solved = iterate(passes(design, y), design.width(), design.intercept(), options.collinearityTolerance());
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

    /** Both passes over the rows of an in-memory design. */
    static Passes passes(Design design, double[] y) {
        double[] row = new double[design.width()];
        return new Passes() {
            @Override
            public LogitPass exact(double[] beta) {
                LogitPass p = new LogitPass(beta);
                for (int i = 0; i < y.length; i++) {
                    p.add(design.row(i, row), y[i]);
                }
                return p;
            }

            @Override
            public LogitGramPass cheap(double[] beta, int[] kept) {
                LogitGramPass p = new LogitGramPass(beta, kept);
                for (int i = 0; i < y.length; i++) {
                    p.add(design.row(i, row), y[i]);
                }
                return p;
            }
        };
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
