package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.Logit;
import dev.empathy.lib.regression.LogitFit;
import dev.empathy.lib.regression.LogitGramPass;
import dev.empathy.lib.regression.LogitPass;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.RobustMeat;
import java.util.List;

/**
 * Logistic regression over a Spark dataset with the IRLS loop of {@link Logit}: the usable rows
 * are encoded once ({@link ModelRows}, on the driver below its limit, else persisted blocks over
 * Spark) and each iteration (about six) is one pass in which every block builds a pass at the
 * current coefficients: a {@link LogitPass} (QR) for the first and the last, a cheaper
 * {@link LogitGramPass} for the Newton steps between. The cluster meat is one more pass, with no
 * shuffle.
 */
public final class SparkLogit {

    /** How refusals name the model. */
    private static final String MODEL = "logit";

    private SparkLogit() {
    }

    public record Result(LogitFit fit, ModelSpec spec, long rowsRead, long rowsUsed) {
    }

    public static Result fit(ModelData model, OlsOptions options) {
        return fit(model, options, ModelRows.DRIVER_VALUES);
    }

    /**
     * As {@link #fit(ModelData, OlsOptions)}; the rows are collected to the driver when the
     * usable rows times (width + 2) are at most {@code driverValues} (0: always over Spark).
     */
    public static Result fit(ModelData model, OlsOptions options, long driverValues) {
        ModelSpec spec = model.spec();
        model.requireRows(MODEL, model.rowsRead(), model.rowsComplete(), spec.width());
        boolean robust = options.covariance() != CovarianceType.CLASSICAL;
        try (ModelRows rows = ModelRows.forFit(model, spec, options.covariance(), driverValues)) {
            Logit.Solved solved = Logit.iterate(passes(rows), spec.width(), spec.formula().intercept(),
                    options.collinearityTolerance());

            RobustMeat meat = null;
            if (robust) {
                meat = meat(rows, solved, options.covariance());
            }
            LogitFit fit = Logit.finish(spec.names(), solved, meat, options).withNotes(spec.notes());
            return new Result(fit, spec, model.rowsRead(), fit.n());
        }
    }

    /** Each pass of either kind is one fold of the rows, the blocks' results merged in block order. */
    private static Logit.Passes passes(ModelRows rows) {
        return new Logit.Passes() {
            @Override
            public LogitPass exact(double[] beta) {
                List<LogitPass> parts = rows.fold(() -> new LogitPass(beta), (pass, x, y) -> {
                    requireBinary(y);
                    pass.add(x, y);
                });
                LogitPass merged = new LogitPass(beta);
                parts.forEach(merged::merge);
                return merged;
            }

            @Override
            public LogitGramPass cheap(double[] beta, int[] kept) {
                List<LogitGramPass> parts = rows.fold(() -> new LogitGramPass(beta, kept), (pass, x, y) -> {
                    requireBinary(y);
                    pass.add(x, y);
                });
                LogitGramPass merged = new LogitGramPass(beta, kept);
                parts.forEach(merged::merge);
                return merged;
            }
        };
    }

    private static void requireBinary(double y) {
        if (y != 0 && y != 1) {
            throw new IllegalArgumentException("logit: the response must be 0 or 1, found " + y);
        }
    }

    private static RobustMeat meat(ModelRows rows, Logit.Solved solved, CovarianceType type) {
        int[] kept = solved.solution().kept();
        double[] beta = solved.beta();
        // A row's score is (y - p) times its kept design columns.
        return rows.meat(type, kept.length, (x, y, out) -> {
            for (int j = 0; j < kept.length; j++) {
                out[j] = x[kept[j]];
            }
            return y - Logit.probability(beta, x);
        });
    }

    /**
     * An average change in predicted probability: over the rows the model uses, the mean of
     * {@code p(x + delta e_term) - p(x)}, with its delta-method variance {@code g' V g}, {@code g}
     * the mean gradient over the estimated coefficients and {@code V} the fit's covariance.
     *
     * @param gradient per estimated coefficient (the order of the fit's estimates)
     */
    public record Change(double estimate, double variance, double[] gradient, long n) {
    }

    /** The average change in probability when column {@code term} of every row moves by {@code delta}. */
    public static Change averageChange(ModelData model, Result fitted, String term, double delta) {
        ModelSpec spec = fitted.spec();
        List<String> names = spec.names();
        int at = names.indexOf(term);
        if (at < 0) {
            throw new IllegalArgumentException("no term " + term + " in " + names);
        }
        List<Estimate> estimates = fitted.fit().estimates();
        int k = estimates.size();
        int[] kept = new int[k];
        double[] beta = new double[names.size()];
        for (int j = 0; j < k; j++) {
            kept[j] = names.indexOf(estimates.get(j).term());
            beta[kept[j]] = estimates.get(j).estimate();
        }
        List<double[]> parts;
        try (ModelRows rows = ModelRows.encode(model, spec, false, fitted.rowsUsed(), ModelRows.DRIVER_VALUES)) {
            // k gradient sums, then the sum of changes, then the count.
            parts = rows.fold(() -> new double[k + 2], (sums, x, y) -> {
                double eta = 0;
                for (int j = 0; j < x.length; j++) {
                    eta += beta[j] * x[j];
                }
                double moved = eta + beta[at] * delta;
                double p0 = 1 / (1 + Math.exp(-eta));
                double p1 = 1 / (1 + Math.exp(-moved));
                double w0 = p0 * (1 - p0);
                double w1 = p1 * (1 - p1);
                for (int j = 0; j < k; j++) {
                    int c = kept[j];
                    sums[j] += w1 * (x[c] + (c == at ? delta : 0)) - w0 * x[c];
                }
                sums[k] += p1 - p0;
                sums[k + 1] += 1;
            });
        }
        double[] total = new double[k + 2];
        for (double[] p : parts) {
            for (int j = 0; j < total.length; j++) {
                total[j] += p[j];
            }
        }
        double n = total[k + 1];
        double[] g = new double[k];
        for (int j = 0; j < k; j++) {
            g[j] = total[j] / n;
        }
        double[][] v = fitted.fit().covariance();
        double variance = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                variance += g[a] * v[a][b] * g[b];
            }
        }
        return new Change(total[k] / n, variance, g, (long) n);
    }
}
