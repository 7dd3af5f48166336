package dev.empathy.lib.regression;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Ordinary least squares, numerically stable: the columns are centred (all but the intercept),
 * factored by an updating Givens QR ({@link QrAccumulator}) and solved by back substitution, so
 * {@code X'X} is never formed. Collinear columns are dropped and named. Standard errors:
 * classical, HC1 or one-way cluster CR1 ({@link CovarianceType}).
 *
 * <p>The same pieces run over a Spark {@code Dataset} in the jobs module: accumulators per
 * partition, merged on the driver.
 */
public final class Ols {

    private Ols() {
    }

    /** Fits {@code y} on the design; {@code cluster} (one key per row) only for cluster standard errors. */
    public static OlsFit fit(Design design, double[] y, Object[] cluster, OlsOptions options) {
        return fit(design, y, cluster, options, 0);
    }

    /** A fit with the factor it was solved from (centred on the column means), from which sub-models follow. */
    public record Factored(OlsFit fit, QrAccumulator factor) {
    }

    /** As {@link #fit(Design, double[], Object[], OlsOptions)}, also giving the factor. */
    public static Factored fitWithFactor(Design design, double[] y, Object[] cluster, OlsOptions options) {
        return factored(design, y, cluster, options, 0, 0);
    }

    /**
     * As {@link #fit(Design, double[], Object[], OlsOptions)} for data from which {@code absorbed}
     * parameters were already removed (absorbed fixed effects): they count in the residual
     * degrees of freedom and the small-sample factors.
     */
    static OlsFit fit(Design design, double[] y, Object[] cluster, OlsOptions options, long absorbed) {
        return factored(design, y, cluster, options, absorbed, 0).fit();
    }

    /** {@code absorbedFrom}: with {@code absorbed} > 0, the response's sum of squares before demeaning. */
    static OlsFit fit(Design design, double[] y, Object[] cluster, OlsOptions options, long absorbed,
                      double absorbedFrom) {
        return factored(design, y, cluster, options, absorbed, absorbedFrom).fit();
    }

    private static Factored factored(Design design, double[] y, Object[] cluster, OlsOptions options,
                                     long absorbed, double absorbedFrom) {
        if (y.length != design.rows()) {
            throw new IllegalArgumentException(y.length + " responses for " + design.rows() + " design rows");
        }
        QrAccumulator qr = new QrAccumulator(design.centringShift());
        double[] row = new double[design.width()];
        for (int i = 0; i < y.length; i++) {
            qr.add(design.row(i, row), y[i]);
        }
        LeastSquaresSolution solution = LeastSquaresSolution.solve(qr, design.intercept(), options.collinearityTolerance());
        solution.absorbedFrom(absorbedFrom);
        for (int step = 0; step < 2; step++) {
            double[] g = gradient(design, y, solution);
            solution.refine(java.util.Arrays.copyOf(g, g.length - 1), g[g.length - 1]);
        }
        RobustMeat meat = null;
        if (options.covariance() != CovarianceType.CLASSICAL) {
            if (options.covariance() == CovarianceType.CLUSTER && (cluster == null || cluster.length != y.length)) {
                throw new IllegalArgumentException("cluster standard errors need one cluster key per row");
            }
            meat = new RobustMeat(options.covariance(), solution.kept.length);
            for (int i = 0; i < y.length; i++) {
                design.row(i, row);
                meat.add(solution.shiftedRow(row), solution.residual(row, y[i]),
                        cluster == null ? null : cluster[i]);
            }
        }
        return new Factored(finish(design.names(), solution, meat, options, absorbed), qr);
    }

    /**
     * {@code X'r} over the kept, shifted columns, then {@code r'r} as the last element, with
     * Neumaier-compensated sums.
     */
    private static double[] gradient(Design design, double[] y, LeastSquaresSolution solution) {
        GradientSum sum = new GradientSum(solution.kept.length);
        double[] row = new double[design.width()];
        for (int i = 0; i < y.length; i++) {
            design.row(i, row);
            sum.add(solution.shiftedRow(row), solution.residual(row, y[i]));
        }
        return sum.total();
    }

    /** The fit from a solved problem and (for robust standard errors) its meat. */
    public static OlsFit finish(List<String> names, LeastSquaresSolution s, RobustMeat meat, OlsOptions options) {
        return finish(names, s, meat, options, 0);
    }

    /**
     * {@code absorbed}: parameters removed before the fit (absorbed fixed effects), counted in K.
     *
     * @throws UnfittableException without rows, or with fewer rows than {@code names} has coefficients
     */
    public static OlsFit finish(List<String> names, LeastSquaresSolution s, RobustMeat meat, OlsOptions options,
                                long absorbed) {
        int k = s.kept.length;
        long n = s.n;
        if (n == 0) {
            throw UnfittableException.noRows("ols");
        }
        if (n < names.size()) {
            throw UnfittableException.tooFewRows("ols", n, names.size());
        }
        List<FitNote> notes = new ArrayList<>(aliasNotes(names, s.kept, s.constantColumns));
        boolean constantResponse = s.responseWithoutVariation();
        if (constantResponse) {
            notes.add(0, FitNote.of(FitNote.Problem.CONSTANT_RESPONSE, List.of(),
                    "the response has no variation (the same value on all %d rows): nothing to explain, "
                            + "the estimates are rounding noise", n));
        }
        double dfResidual = n - k - absorbed;
        double rss = s.residualSumSquares;
        double sigma2 = dfResidual > 0 ? rss / dfResidual : Double.NaN;
        if (!(dfResidual > 0)) {
            notes.add(FitNote.of(FitNote.Problem.NO_RESIDUAL_VARIANCE, List.of(),
                    "no residual degrees of freedom (%d rows, %d coefficients%s): the rows are fitted exactly, "
                            + "standard errors are not defined", n, k,
                    absorbed > 0 ? String.format(java.util.Locale.ROOT, " and %d absorbed", absorbed) : ""));
        } else if (!constantResponse && sigma2 < 1e-30 * (s.uncentredSumSquares - rss) / n) {
            // R's summary.lm: residual variance below 1e-30 of the fitted values' mean square.
            notes.add(FitNote.of(FitNote.Problem.NO_RESIDUAL_VARIANCE, List.of(),
                    "essentially perfect fit (no residual variance): standard errors and tests may be unreliable"));
        }
        double[][] bread = s.xtxInverseOriginal();
        double[][] v = new double[k][k];
        long clusters = 0;
        double dfTests = dfResidual;
        if (options.covariance() == CovarianceType.CLASSICAL) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    v[i][j] = sigma2 * bread[i][j];
                }
            }
        } else {
            double[][] m = s.meatToOriginal(meat.matrix());
            double factor;
            if (options.covariance() == CovarianceType.HC1) {
                factor = n / dfResidual;
            } else {
                clusters = meat.clusters();
                if (clusters < 2) {
                    notes.add(FitNote.of(FitNote.Problem.SINGLE_CLUSTER, List.of(),
                            "cluster standard errors need at least 2 clusters, found %d: standard errors are not "
                                    + "defined", clusters));
                    factor = Double.NaN;
                    dfTests = Double.NaN;
                } else {
                    factor = (double) clusters / (clusters - 1) * (n - 1) / dfResidual;
                    dfTests = clusters - 1;
                }
            }
            if (!(dfResidual > 0)) {
                factor = Double.NaN;
            }
            double[][] sandwich = multiply(multiply(bread, m), bread);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    v[i][j] = factor * sandwich[i][j];
                }
            }
        }
        double[] b = s.originalCoefficients();

        boolean tests = dfTests > 0;
        TDistribution t = tests ? new TDistribution(dfTests) : null;
        double q = tests ? t.inverseCumulativeProbability(0.5 + options.confidenceLevel() / 2) : Double.NaN;
        List<Estimate> estimates = new ArrayList<>();
        List<String> aliased = new ArrayList<>(names);
        for (int j = 0; j < k; j++) {
            String term = names.get(s.kept[j]);
            aliased.remove(term);
            double se = Math.sqrt(v[j][j]);
            double stat = b[j] / se;
            double p = tests ? 2 * t.cumulativeProbability(-Math.abs(stat)) : Double.NaN;
            estimates.add(new Estimate(term, b[j], se, stat, p, b[j] - q * se, b[j] + q * se));
        }

        double tss = s.totalSumSquares;
        double r2 = tss > 0 && !constantResponse ? 1 - rss / tss : Double.NaN;
        int interceptTerms = s.intercept ? 1 : 0;
        double adj = dfResidual > 0 ? 1 - (1 - r2) * (n - interceptTerms) / dfResidual : Double.NaN;
        int q1 = k - interceptTerms;
        double f = Double.NaN;
        double fp = Double.NaN;
        if (q1 > 0 && tests && !constantResponse) {
            f = options.covariance() == CovarianceType.CLASSICAL
                    ? ((tss - rss) / q1) / sigma2
                    : wald(b, v, interceptTerms) / q1;
            fp = Double.isNaN(f) ? Double.NaN : 1 - new FDistribution(q1, dfTests).cumulativeProbability(f);
        }
        double logLik = -n / 2.0 * (Math.log(2 * Math.PI * rss / n) + 1);
        FitStatistics stats = new FitStatistics(n, k, r2, adj, f, q1, dfTests, fp, Math.sqrt(sigma2), clusters,
                logLik, rss, dfResidual);
        return new OlsFit(estimates, aliased, stats, options.covariance(), options.confidenceLevel(), v, notes);
    }

    /**
     * The notes for dropped columns: one per column without variation, then one naming those
     * that are combinations of others (R's "not defined because of singularities").
     */
    static List<FitNote> aliasNotes(List<String> names, int[] kept, int[] constant) {
        List<FitNote> notes = new ArrayList<>();
        java.util.Set<Integer> keptSet = new java.util.HashSet<>();
        for (int j : kept) {
            keptSet.add(j);
        }
        java.util.Set<Integer> constantSet = new java.util.HashSet<>();
        for (int j : constant) {
            constantSet.add(j);
            notes.add(FitNote.of(FitNote.Problem.CONSTANT_TERM, List.of(names.get(j)),
                    "%s has no variation (the same value on every row): not estimated", names.get(j)));
        }
        List<String> singular = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            if (!keptSet.contains(j) && !constantSet.contains(j)) {
                singular.add(names.get(j));
            }
        }
        if (!singular.isEmpty()) {
            notes.add(FitNote.of(FitNote.Problem.ALIASED, singular,
                    "%d not defined because of singularities (a combination of other terms): %s", singular.size(),
                    String.join(", ", singular)));
        }
        return notes;
    }

    /** {@code b' V^-1 b} over the coefficients from index {@code from} on. */
    private static double wald(double[] b, double[][] v, int from) {
        int q = b.length - from;
        double[][] sub = new double[q][q];
        double[] bb = new double[q];
        for (int i = 0; i < q; i++) {
            bb[i] = b[from + i];
            for (int j = 0; j < q; j++) {
                sub[i][j] = v[from + i][from + j];
            }
        }
        RealMatrix vm = new Array2DRowRealMatrix(sub, false);
        double[] x;
        try {
            x = new LUDecomposition(vm).getSolver().solve(new ArrayRealVector(bb, false)).toArray();
        } catch (SingularMatrixException e) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < q; i++) {
            s += bb[i] * x[i];
        }
        return s;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        // Every term aliased: 0 x 0 matrices.
        int m = b.length == 0 ? 0 : b[0].length;
        int inner = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < inner; l++) {
                double ail = a[i][l];
                for (int j = 0; j < m; j++) {
                    c[i][j] += ail * b[l][j];
                }
            }
        }
        return c;
    }
}
