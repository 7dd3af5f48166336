package dev.empathy.lib.regression;

import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.survival.InformationFactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The proportional-odds (ordered) logit: for a response with ordered levels {@code 1..J},
 *
 * <pre>
 * P(Y &lt;= j | x) = F(zeta_j - x'beta),  j = 1..J-1,  F(t) = 1 / (1 + e^-t)
 * </pre>
 *
 * R's {@code MASS::polr} parameterisation (McCullagh 1980; Venables and Ripley, MASS 4th ed.,
 * section 7.3): thresholds {@code zeta_1 < ... < zeta_(J-1)} in place of the intercept, and a
 * positive coefficient moves the response up the scale. The levels are the response's distinct
 * values, ascending (so no level is ever empty); the design's intercept column is not a
 * parameter, the thresholds play its part.
 *
 * <p>Fitted by Newton-Raphson on the exact log-likelihood with the analytic gradient and Hessian
 * of {@link OrderedLogitPass}, starting from {@code beta = 0} and the thresholds at the logits of
 * the marginal cumulative proportions (the fit without covariates); a step that lowers the
 * likelihood or leaves the thresholds out of order is halved. It stops when the log-likelihood
 * changes by less than {@code 1e-12} relative (at most 50 steps). Standard errors: classical, the
 * inverse of the observed information; HC1, the sandwich {@code V (sum s_i s_i') V n/(n-p)}; or
 * cluster-robust, {@code V (sum_g u_g u_g') V G/(G-1) (n-1)/(n-p)} with {@code u_g} the per-cluster
 * sums of the row scores {@code s_i} and {@code p} every parameter, thresholds included: what R's
 * {@code sandwich::vcovCL(type = "HC1")} does with the columns of {@code estfun}. z tests.
 *
 * <p>As {@link Logit}, the loop is written against pass functions, so the same code runs over
 * arrays and over Spark partitions: one {@link OrderedLogitStart} pass, then one
 * {@link OrderedLogitPass} per Newton step (and per halving).
 */
public final class OrderedLogit {

    public static final int MAX_ITERATIONS = 50;
    public static final double TOLERANCE = 1e-12;
    /** More distinct response values than this are not an ordered scale: the fit is refused. */
    public static final int MAX_LEVELS = 20;
    private static final int MAX_HALVINGS = 30;
    private static final String MODEL = "ologit";

    private OrderedLogit() {
    }

    /**
     * What the first pass found: the levels, the kept design columns (never the intercept) and
     * the notes about the terms dropped.
     *
     * @param levels the response's distinct values, ascending
     * @param kept   the design columns with a coefficient (indices into the full row)
     */
    public record Setup(double[] levels, long[] counts, int[] kept, long rows, List<FitNote> termNotes) {

        /** The number of parameters: coefficients and thresholds. */
        public int parameters() {
            return kept.length + Math.max(0, levels.length - 1);
        }

        /** Threshold names as R's polr prints them: {@code 1|2}, {@code 2|3}, ... */
        public List<String> thresholdNames() {
            List<String> names = new ArrayList<>();
            for (int j = 0; j + 1 < levels.length; j++) {
                names.add(ModelSpec.levelOf(levels[j]) + "|" + ModelSpec.levelOf(levels[j + 1]));
            }
            return names;
        }

        /** The starting parameters: no effects, the thresholds of the fit without covariates. */
        double[] start() {
            int k = kept.length;
            int q = Math.max(0, levels.length - 1);
            double[] theta = new double[k + q];
            long below = 0;
            for (int j = 0; j < q; j++) {
                below += counts[j];
                double share = (double) below / rows;
                theta[k + j] = Math.log(share / (1 - share));
            }
            return theta;
        }
    }

    /**
     * Reads the first pass: refuses data with nothing to fit (no rows, fewer rows than
     * parameters, a response that is not an ordered scale) and finds the aliased terms.
     *
     * @param names the design's column names, {@code Intercept} first
     * @throws UnfittableException without rows, with fewer rows than parameters (coefficients the formula
     *                             asks for and thresholds), or with more
     *                             than {@link #MAX_LEVELS} distinct response values
     */
    public static Setup setup(OrderedLogitStart start, List<String> names, String response, double tolerance) {
        if (names.isEmpty() || !names.get(0).equals("Intercept")) {
            throw new IllegalArgumentException(
                    "ologit: the thresholds play the intercept, so the formula must keep it (remove '- 1' or '+ 0')");
        }
        long n = start.rows();
        if (n == 0) {
            throw UnfittableException.noRows(MODEL);
        }
        if (start.tooManyLevels()) {
            throw new UnfittableException(String.format(Locale.ROOT,
                    "%s: the response %s has more than %d distinct values; an ordered response needs 2 to %d levels "
                            + "(integer-coded, for example 1 to 5)", MODEL, response, MAX_LEVELS, MAX_LEVELS));
        }
        // As the logit, the formula's coefficients count, aliased or not.
        int asked = names.size() - 1 + Math.max(0, start.levels().length - 1);
        if (n < asked) {
            throw UnfittableException.tooFewRows(MODEL, n, asked);
        }
        LeastSquaresSolution s = LeastSquaresSolution.solve(start.qr(), true, tolerance);
        int[] all = s.kept();
        List<FitNote> notes = Ols.aliasNotes(names, all, s.constantColumns());
        int[] kept = java.util.Arrays.stream(all).filter(j -> j != 0).toArray();
        return new Setup(start.levels(), start.counts(), kept, n, notes);
    }

    /** The result of the iterations, before standard errors. */
    public record Solved(Setup setup, double[] theta, OrderedLogitPass last, int iterations, boolean converged,
                         double nullLogLikelihood) {
    }

    /**
     * Runs Newton-Raphson with step halving.
     *
     * @param pass from parameters (kept coefficients, then thresholds) to the merged pass at them
     */
    public static Solved iterate(Setup setup, Function<double[], OrderedLogitPass> pass) {
        double[] theta = setup.start();
        OrderedLogitPass current = pass.apply(theta);
        double nullLogLikelihood = current.logLikelihood();
        int k = setup.kept().length;
        if (theta.length == k) {
            // One level: no thresholds, and nothing to explain.
            return new Solved(setup, theta, current, 0, true, nullLogLikelihood);
        }
        double ll = current.logLikelihood();
        boolean converged = false;
        int iterations = 0;
        while (iterations < MAX_ITERATIONS) {
            double[] step = solve(current.information(), current.gradient());
            double predicted = dot(step, current.gradient());
            OrderedLogitPass next = null;
            double[] candidate = null;
            double t = 1;
            for (int h = 0; h <= MAX_HALVINGS; h++, t /= 2) {
                candidate = new double[theta.length];
                for (int j = 0; j < theta.length; j++) {
                    candidate[j] = theta[j] + t * step[j];
                }
                if (!ordered(candidate, k)) {
                    continue;
                }
                OrderedLogitPass tried = pass.apply(candidate);
                double l = tried.logLikelihood();
                // Rounding may lower the likelihood by a hair at the maximum: not a reason to halve.
                if (Double.isFinite(l) && l - ll >= -TOLERANCE * (Math.abs(ll) + 0.1)) {
                    next = tried;
                    break;
                }
            }
            if (next == null) {
                // No step raises the likelihood: at its maximum when the Newton step promised nothing.
                converged = predicted / 2 < TOLERANCE * (Math.abs(ll) + 0.1);
                break;
            }
            iterations++;
            theta = candidate;
            current = next;
            double change = Math.abs(next.logLikelihood() - ll) / (Math.abs(next.logLikelihood()) + 0.1);
            ll = next.logLikelihood();
            if (change < TOLERANCE) {
                converged = true;
                break;
            }
        }
        return new Solved(setup, theta, current, iterations, converged, nullLogLikelihood);
    }

    /**
     * Fits in memory.
     *
     * @param design  with the intercept in column 0 (the thresholds replace it)
     * @param y       the response: a few distinct values, ordered by value
     * @param cluster one key per row for cluster standard errors, else null
     */
    public static OrderedLogitFit fit(Design design, double[] y, Object[] cluster, OlsOptions options) {
        return fit(design, y, cluster, options, "y");
    }

    /** As {@link #fit(Design, double[], Object[], OlsOptions)}, naming the response in messages. */
    public static OrderedLogitFit fit(Design design, double[] y, Object[] cluster, OlsOptions options,
                                      String response) {
        if (!design.intercept()) {
            throw new IllegalArgumentException(
                    "ologit: the thresholds play the intercept, so the formula must keep it (remove '- 1' or '+ 0')");
        }
        double[] row = new double[design.width()];
        OrderedLogitStart start = new OrderedLogitStart(design.width());
        for (int i = 0; i < y.length; i++) {
            if (Double.isNaN(y[i])) {
                throw new IllegalArgumentException("ologit: the response is missing on row " + i);
            }
            start.add(design.row(i, row), y[i]);
        }
        Setup setup = setup(start, design.names(), response, options.collinearityTolerance());
        Solved solved = iterate(setup, theta -> {
            OrderedLogitPass p = new OrderedLogitPass(theta, setup.kept(), setup.levels());
            for (int i = 0; i < y.length; i++) {
                p.add(design.row(i, row), y[i]);
            }
            return p;
        });
        RobustMeat meat = null;
        if (options.covariance() != CovarianceType.CLASSICAL) {
            boolean clustered = options.covariance() == CovarianceType.CLUSTER;
            if (clustered && (cluster == null || cluster.length != y.length)) {
                throw new IllegalArgumentException("cluster standard errors need one cluster key per row");
            }
            meat = new RobustMeat(options.covariance(), solved.theta().length);
            double[] s = new double[solved.theta().length];
            for (int i = 0; i < y.length; i++) {
                score(solved, design.row(i, row), y[i], s);
                meat.add(s, 1.0, clustered ? cluster[i] : null);
            }
        }
        return finish(design.names(), solved, meat, options);
    }

    /** The score of one row at the fitted parameters (coefficients, then thresholds), into {@code out}. */
    public static void score(Solved solved, double[] row, double y, double[] out) {
        score(solved.theta(), solved.setup().kept(), solved.setup().levels(), row, y, out);
    }

    /**
     * The score of one row at parameters {@code theta} (coefficients of the {@code kept} columns,
     * then thresholds) for a response of the given {@code levels}, into {@code out}.
     */
    public static void score(double[] theta, int[] kept, double[] levels, double[] row, double y, double[] out) {
        OrderedLogitPass.score(OrderedLogitPass.row(theta, kept, levels, row, y), kept, row, out);
    }

    public static OrderedLogitFit finish(List<String> names, Solved solved, RobustMeat meat, OlsOptions options) {
        Setup setup = solved.setup();
        int[] kept = setup.kept();
        int k = kept.length;
        int p = solved.theta().length;
        long n = setup.rows();
        OrderedLogitPass last = solved.last();
        List<FitNote> notes = new ArrayList<>();
        List<String> aliased = new ArrayList<>(names.subList(1, names.size()));
        List<String> thresholdNames = setup.thresholdNames();
        if (p == k) {
            notes.add(FitNote.of(FitNote.Problem.CONSTANT_RESPONSE, List.of(),
                    "the outcome has no variation (%s on all %d rows): no thresholds, nothing to explain",
                    ModelSpec.levelOf(setup.levels()[0]), n));
            notes.addAll(setup.termNotes());
            return new OrderedLogitFit(List.of(), List.of(), List.of(ModelSpec.levelOf(setup.levels()[0])), aliased,
                    n, 0.0, 0.0, 0, true, options.covariance(), 0, options.confidenceLevel(), new double[0][0], notes);
        }
        notes.addAll(setup.termNotes());
        if (last.extremeRows() > 0) {
            notes.add(FitNote.of(FitNote.Problem.SEPARATION, List.of(),
                    "fitted cumulative probabilities numerically 0 or 1 occurred (%d of %d rows): the outcome is "
                            + "separated or nearly so by the terms, and some estimates run to infinity",
                    last.extremeRows(), n));
        }
        if (!solved.converged()) {
            notes.add(FitNote.of(FitNote.Problem.NOT_CONVERGED, List.of(),
                    "the algorithm did not converge in %d iterations", solved.iterations()));
        }
        double[][] bread = inverse(last.information());
        double[][] v = bread;
        long clusters = 0;
        if (meat != null) {
            RobustMeat.Sandwich sandwich = meat.sandwich(bread, n, notes);
            v = sandwich.covariance();
            clusters = sandwich.clusters();
        }
        NormalDistribution normal = new NormalDistribution();
        double q = normal.inverseCumulativeProbability(0.5 + options.confidenceLevel() / 2);
        List<Estimate> coefficients = new ArrayList<>();
        List<Estimate> thresholds = new ArrayList<>();
        double[] theta = solved.theta();
        for (int j = 0; j < p; j++) {
            String term = j < k ? names.get(kept[j]) : thresholdNames.get(j - k);
            aliased.remove(term);
            double b = theta[j];
            double se = Math.sqrt(v[j][j]);
            double z = b / se;
            Estimate e = new Estimate(term, b, se, z, 2 * normal.cumulativeProbability(-Math.abs(z)), b - q * se,
                    b + q * se);
            (j < k ? coefficients : thresholds).add(e);
        }
        List<String> levels = new ArrayList<>();
        for (double l : setup.levels()) {
            levels.add(ModelSpec.levelOf(l));
        }
        return new OrderedLogitFit(coefficients, thresholds, levels, aliased, n, last.logLikelihood(),
                solved.nullLogLikelihood(), solved.iterations(), solved.converged(), options.covariance(), clusters,
                options.confidenceLevel(), v, notes);
    }

    private static boolean ordered(double[] theta, int k) {
        for (int j = k + 1; j < theta.length; j++) {
            if (!(theta[j] > theta[j - 1])) {
                return false;
            }
        }
        return true;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    /**
     * The information scaled to a unit diagonal, so that the factor's relative pivot test does
     * not depend on the units of the covariates, and the scales.
     */
    private static double[] scales(double[][] information) {
        double[] d = new double[information.length];
        for (int j = 0; j < d.length; j++) {
            double v = information[j][j];
            d[j] = v > 0 && Double.isFinite(v) ? 1 / Math.sqrt(v) : 1;
        }
        return d;
    }

    private static double[][] scaled(double[][] information, double[] d) {
        int p = d.length;
        double[][] m = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                m[i][j] = information[i][j] * d[i] * d[j];
            }
        }
        return m;
    }

    /** The Newton step {@code I^-1 g}; singular directions (separation) do not move. */
    private static double[] solve(double[][] information, double[] gradient) {
        double[] d = scales(information);
        double[] g = new double[d.length];
        for (int j = 0; j < d.length; j++) {
            g[j] = gradient[j] * d[j];
        }
        double[] x = InformationFactor.of(scaled(information, d)).solve(g);
        for (int j = 0; j < d.length; j++) {
            x[j] *= d[j];
        }
        return x;
    }

    /** {@code I^-1}, NaN in the rows and columns of singular directions. */
    static double[][] inverse(double[][] information) {
        double[] d = scales(information);
        double[][] inv = InformationFactor.of(scaled(information, d)).inverse();
        for (int i = 0; i < d.length; i++) {
            for (int j = 0; j < d.length; j++) {
                inv[i][j] *= d[i] * d[j];
            }
        }
        return inv;
    }
}
