package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.OrderedLogit;
import dev.empathy.lib.regression.OrderedLogitFit;
import dev.empathy.lib.regression.OrderedLogitPass;
import dev.empathy.lib.regression.OrderedLogitStart;
import dev.empathy.lib.regression.RobustMeat;
import java.util.List;

/**
 * The proportional-odds logit over a Spark dataset with the Newton-Raphson loop of
 * {@link OrderedLogit}: the usable rows are encoded once ({@link ModelRows}: on the driver
 * below its limit, else persisted blocks over Spark); one pass finds the response's levels and
 * the aliased terms ({@link OrderedLogitStart}), then each Newton step (and each halving) is one
 * pass in which every block sums its rows' log-likelihood, gradient and Hessian
 * ({@link OrderedLogitPass}). Robust errors take one more pass over the scores (summed by
 * cluster within each block: a cluster's rows are in one block).
 */
public final class SparkOrderedLogit {

    /** How refusals name the model. */
    private static final String MODEL = "ologit";

    private SparkOrderedLogit() {
    }

    public record Result(OrderedLogitFit fit, ModelSpec spec, long rowsRead, long rowsUsed) {
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
        if (!spec.formula().intercept()) {
            throw new IllegalArgumentException(
                    "ologit: the thresholds play the intercept, so the formula must keep it (remove '- 1' or '+ 0')");
        }
        // The thresholds stand for the intercept: at least one of them, so width parameters at least.
        model.requireRows(MODEL, model.rowsRead(), model.rowsComplete(), spec.width());
        String response = spec.formula().response();
        boolean robust = options.covariance() != CovarianceType.CLASSICAL;
        try (ModelRows rows = ModelRows.forFit(model, spec, options.covariance(), driverValues)) {
            int width = spec.width();
            List<OrderedLogitStart> starts = rows.fold(() -> new OrderedLogitStart(width), OrderedLogitStart::add);
            OrderedLogitStart start = new OrderedLogitStart(width);
            starts.forEach(start::merge);
            OrderedLogit.Setup setup = OrderedLogit.setup(start, spec.names(), response,
                    options.collinearityTolerance());
            int[] kept = setup.kept();
            double[] levels = setup.levels();
            OrderedLogit.Solved solved = OrderedLogit.iterate(setup, theta -> {
                List<OrderedLogitPass> parts = rows.fold(() -> new OrderedLogitPass(theta, kept, levels),
                        OrderedLogitPass::add);
                OrderedLogitPass merged = new OrderedLogitPass(theta, kept, levels);
                parts.forEach(merged::merge);
                return merged;
            });
            RobustMeat meat = null;
            if (robust && solved.theta().length > kept.length) {
                meat = meat(rows, solved, options.covariance());
            }
            OrderedLogitFit fit = OrderedLogit.finish(spec.names(), solved, meat, options).withNotes(spec.notes());
            return new Result(fit, spec, model.rowsRead(), fit.n());
        }
    }

    private static RobustMeat meat(ModelRows rows, OrderedLogit.Solved solved, CovarianceType type) {
        double[] theta = solved.theta();
        int[] kept = solved.setup().kept();
        double[] levels = solved.setup().levels();
        return rows.meat(type, theta.length, (x, y, out) -> {
            OrderedLogit.score(theta, kept, levels, x, y, out);
            return 1.0;
        });
    }

    /**
     * The average change in the probability of each response level when column {@code term} of
     * every usable row moves by {@code delta}: for level k, the mean over rows of
     * {@code P_k(x + delta e) - P_k(x)} with {@code P_k(x) = F(zeta_k - x'b) - F(zeta_{k-1} - x'b)},
     * its gradient in the fit's parameters (coefficients, then thresholds) and the delta-method
     * variance {@code g'Vg} on the fit's covariance (classical or robust, as fitted). One pass.
     *
     * @return one change per level, in the order of {@link OrderedLogitFit#levels()}
     */
    public static List<SparkLogit.Change> averageChanges(ModelData model, Result fitted, String term, double delta) {
        ModelSpec spec = fitted.spec();
        List<String> names = spec.names();
        int at = names.indexOf(term);
        if (at < 0) {
            throw new IllegalArgumentException("no term " + term + " in " + names);
        }
        OrderedLogitFit fit = fitted.fit();
        int p = fit.coefficients().size();
        int cuts = fit.thresholds().size();
        int levels = cuts + 1;
        int[] column = new int[p];
        double[] beta = new double[names.size()];
        for (int j = 0; j < p; j++) {
            column[j] = names.indexOf(fit.coefficients().get(j).term());
            beta[column[j]] = fit.coefficients().get(j).estimate();
        }
        double[] zeta = new double[cuts];
        for (int c = 0; c < cuts; c++) {
            zeta[c] = fit.thresholds().get(c).estimate();
        }
        int width = p + cuts;
        // Per block: for each level, the width gradient sums and the sum of changes; then the count.
        List<double[]> parts;
        try (ModelRows rows = ModelRows.encode(model, spec, false, fitted.rowsUsed(), ModelRows.DRIVER_VALUES)) {
            parts = rows.fold(() -> new double[levels * (width + 1) + 1], (sums, x, y) -> {
                double[] moved = x.clone();
                moved[at] += delta;
                addChange(sums, moved, beta, zeta, column, 1.0);
                addChange(sums, x, beta, zeta, column, -1.0);
                sums[sums.length - 1] += 1;
            });
        }
        double[] total = new double[levels * (width + 1) + 1];
        for (double[] part : parts) {
            for (int j = 0; j < total.length; j++) {
                total[j] += part[j];
            }
        }
        double n = total[total.length - 1];
        double[][] v = fit.covariance();
        List<SparkLogit.Change> changes = new java.util.ArrayList<>();
        for (int k = 0; k < levels; k++) {
            int base = k * (width + 1);
            double[] g = new double[width];
            for (int j = 0; j < width; j++) {
                g[j] = total[base + j] / n;
            }
            changes.add(new SparkLogit.Change(total[base + width] / n, dev.empathy.lib.stats.Wald.quadratic(g, v), g,
                    (long) n));
        }
        return changes;
    }

    /**
     * Adds {@code sign} times each level's probability at {@code x} and its gradient in
     * (coefficients, thresholds) to {@code sums} (per level: width gradient sums, then the
     * probability). With {@code f = F(1 - F)} at {@code zeta_k - eta}: dP_k/db_j =
     * -x_j (f_k - f_{k-1}), dP_k/dzeta_k = f_k, dP_k/dzeta_{k-1} = -f_{k-1}; the outer cuts
     * ({@code -inf}, {@code +inf}) contribute nothing.
     */
    private static void addChange(double[] sums, double[] x, double[] beta, double[] zeta, int[] column,
                                  double sign) {
        int p = column.length;
        int cuts = zeta.length;
        int width = p + cuts;
        double eta = 0;
        for (int j = 0; j < x.length; j++) {
            eta += beta[j] * x[j];
        }
        double[] cumulative = new double[cuts + 2];
        double[] density = new double[cuts + 2];
        cumulative[cuts + 1] = 1;
        for (int c = 0; c < cuts; c++) {
            double f = 1 / (1 + Math.exp(-(zeta[c] - eta)));
            cumulative[c + 1] = f;
            density[c + 1] = f * (1 - f);
        }
        for (int k = 0; k <= cuts; k++) {
            int base = k * (width + 1);
            double upper = density[k + 1];
            double lower = density[k];
            for (int j = 0; j < p; j++) {
                sums[base + j] += sign * -x[column[j]] * (upper - lower);
            }
            if (k < cuts) {
                sums[base + p + k] += sign * upper;
            }
            if (k > 0) {
                sums[base + p + k - 1] -= sign * lower;
            }
            sums[base + width] += sign * (cumulative[k + 1] - cumulative[k]);
        }
    }
}
