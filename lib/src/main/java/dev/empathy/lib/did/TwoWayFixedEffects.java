package dev.empathy.lib.did;

import dev.empathy.lib.regression.Estimate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The two-way fixed-effects regression of an observation-level outcome on a treatment indicator
 * with unit and period fixed effects,
 * <pre>
 *   y_c = alpha_{i(c)} + lambda_{t(c)} + beta D_{i(c) t(c)} + e_c,
 * </pre>
 * with standard errors clustered by unit, computed exactly from cell sums: every regressor is
 * constant within a unit-period cell, so the observation-level normal equations and each
 * cluster's score {@code sum_c x_c e_c} need only each cell's count and sum (the residuals of a
 * cell add up to {@code sum - count * fitted}). The unit effects are absorbed (within-unit
 * demeaning weighted by the counts, Frisch-Waugh-Lovell); the period effects are dummies for
 * every period but the first, entered before {@code D}, so that {@code D} is the column dropped
 * when it is a combination of the fixed effects (then it is not estimated, with a note).
 *
 * <p>Covariance: CR1, {@code G/(G-1) (N-1)/(N-K)} times the sandwich, with {@code N} the
 * observations, {@code G} the units and {@code K} the estimated coefficients ({@code D} and
 * the period dummies kept); the unit effects, nested in the clusters, do not count in {@code K}
 * (as fixest's default and {@code SparkAbsorb}). The interval is from Student's t with
 * {@code G - 1} degrees of freedom, as the data contract fixes for cluster errors.
 *
 * <p>Under staggered adoption with effects that change over time this {@code beta} is a weighted
 * average of all two-by-two comparisons, including those that use already-treated units as
 * controls, with weights that can be negative (Goodman-Bacon 2021; de Chaisemartin and
 * D'Haultf&oelig;uille 2020): it can even have the opposite sign of every group-time effect. It is
 * here to be shown beside {@link CallawaySantAnna}, not instead of it.
 */
public final class TwoWayFixedEffects {

    /** Relative pivot below which a column counts as a combination of the columns before it. */
    private static final double COLLINEAR = 1e-10;

    private TwoWayFixedEffects() {
    }

    /** One unit-period cell: observations, their sum, and whether the unit is treated in the period. */
    public record Cell(String unit, int period, long count, double sum, boolean treated) {
    }

    /**
     * The treatment coefficient with its CR1 standard error, t statistic, p-value and interval;
     * the observations, units (clusters) and periods of the fit; a note when it could not be
     * estimated (then the figures are NaN) or has no standard error.
     */
    public record Fit(Estimate estimate, long n, int clusters, int periods, String note) {
    }

    /** Fits the regression on {@code cells}; cells without observations are ignored. */
    public static Fit fit(List<Cell> cells, double level) {
        String term = "trained";
        Map<String, Integer> unitIndex = new HashMap<>();
        TreeSet<Integer> periodSet = new TreeSet<>();
        TreeSet<String> unitSet = new TreeSet<>();
        List<Cell> used = new ArrayList<>();
        for (Cell c : cells) {
            if (c.count() > 0) {
                used.add(c);
                periodSet.add(c.period());
                unitSet.add(c.unit());
            }
        }
        for (String u : unitSet) {
            unitIndex.put(u, unitIndex.size());
        }
        Map<Integer, Integer> periodIndex = new TreeMap<>();
        for (int t : periodSet) {
            periodIndex.put(t, periodIndex.size());
        }
        int units = unitSet.size();
        int periods = periodSet.size();
        long n = 0;
        for (Cell c : used) {
            n += c.count();
        }
        if (n == 0) {
            return new Fit(Estimate.notEstimated(term), 0, 0, 0, "no observations");
        }
        // Columns: the period dummies 1..P-1 at 0..P-2, then D at P-1.
        int p = periods;
        int d = p - 1;
        double[][] a = new double[p][p];
        double[] b = new double[p];
        double[] weight = new double[units];
        double[] total = new double[units];
        double[][] mean = new double[units][p];
        for (Cell c : used) {
            int i = unitIndex.get(c.unit());
            int t = periodIndex.get(c.period());
            double w = c.count();
            double dt = c.treated() ? 1 : 0;
            weight[i] += w;
            total[i] += c.sum();
            if (t > 0) {
                a[t - 1][t - 1] += w;
                a[t - 1][d] += w * dt;
                b[t - 1] += c.sum();
                mean[i][t - 1] += w;
            }
            a[d][d] += w * dt;
            b[d] += c.sum() * dt;
            mean[i][d] += w * dt;
        }
        for (int i = 0; i < units; i++) {
            double[] m = mean[i];
            for (int j = 0; j < p; j++) {
                if (m[j] == 0) {
                    continue;
                }
                for (int k = j; k < p; k++) {
                    a[j][k] -= m[j] * m[k] / weight[i];
                }
                b[j] -= m[j] * total[i] / weight[i];
            }
            for (int j = 0; j < p; j++) {
                m[j] /= weight[i];
            }
        }
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < j; k++) {
                a[j][k] = a[k][j];
            }
        }
        // Cholesky with columns dropped in order when they add nothing to those kept before them.
        int[] kept = new int[p];
        int kk = 0;
        double[][] l = new double[p][p];
        for (int j = 0; j < p; j++) {
            double[] z = new double[kk];
            for (int r = 0; r < kk; r++) {
                double s = a[kept[r]][j];
                for (int q = 0; q < r; q++) {
                    s -= l[r][q] * z[q];
                }
                z[r] = s / l[r][r];
            }
            double rest = a[j][j];
            for (double v : z) {
                rest -= v * v;
            }
            if (a[j][j] > 0 && rest > COLLINEAR * a[j][j]) {
                System.arraycopy(z, 0, l[kk], 0, kk);
                l[kk][kk] = Math.sqrt(rest);
                kept[kk++] = j;
            }
        }
        if (kk == 0 || kept[kk - 1] != d) {
            return new Fit(Estimate.notEstimated(term), n, units, periods,
                    "the treatment does not vary within units beyond what the period effects explain "
                            + "(nobody changes status, or everybody changes in the same period): not estimable");
        }
        double[][] inverse = inverse(l, kk);
        double[] coefficient = new double[p];
        for (int r = 0; r < kk; r++) {
            double s = 0;
            for (int q = 0; q < kk; q++) {
                s += inverse[r][q] * b[kept[q]];
            }
            coefficient[kept[r]] = s;
        }
        // Cluster scores: sum over a unit's cells of x_cell (sum - count * fitted), demeaned within the unit.
        double[][] score = new double[units][kk];
        int[] position = new int[p];
        java.util.Arrays.fill(position, -1);
        for (int r = 0; r < kk; r++) {
            position[kept[r]] = r;
        }
        double[] unitFit = new double[units];
        for (int i = 0; i < units; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                s += mean[i][j] * coefficient[j];
            }
            unitFit[i] = s;
        }
        for (Cell c : used) {
            int i = unitIndex.get(c.unit());
            int t = periodIndex.get(c.period());
            double dt = c.treated() ? 1 : 0;
            double fitted = (t > 0 ? coefficient[t - 1] : 0) + dt * coefficient[d];
            double residualSum = c.sum() - c.count() * (total[i] / weight[i]) - c.count() * (fitted - unitFit[i]);
            if (t > 0 && position[t - 1] >= 0) {
                score[i][position[t - 1]] += residualSum;
            }
            if (dt == 1) {
                score[i][position[d]] += residualSum;
            }
        }
        int kd = position[d];
        // Var(beta_D) = row D of the bread, times the meat, times column D of the bread.
        double[] g = new double[units];
        for (int i = 0; i < units; i++) {
            double s = 0;
            for (int r = 0; r < kk; r++) {
                s += inverse[kd][r] * score[i][r];
            }
            g[i] = s;
        }
        double sandwich = 0;
        for (double v : g) {
            sandwich += v * v;
        }
        double beta = coefficient[d];
        if (units < 2 || n - kk <= 0) {
            return new Fit(new Estimate(term, beta, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN), n,
                    units, periods, units < 2
                    ? "cluster standard errors need at least 2 units, found " + units
                    : "no residual degrees of freedom: no standard error");
        }
        double factor = (double) units / (units - 1) * (n - 1) / (n - kk);
        double se = Math.sqrt(factor * sandwich);
        TDistribution tDist = new TDistribution(null, units - 1, 1e-14);
        double q = tDist.inverseCumulativeProbability(1 - (1 - level) / 2);
        double stat = beta / se;
        double pValue = 2 * tDist.cumulativeProbability(-Math.abs(stat));
        return new Fit(new Estimate(term, beta, se, stat, pValue, beta - q * se, beta + q * se), n, units, periods,
                null);
    }

    /** {@code (L L')^-1} from the lower-triangular factor of size {@code k}. */
    private static double[][] inverse(double[][] l, int k) {
        double[][] li = new double[k][k];
        for (int j = 0; j < k; j++) {
            li[j][j] = 1 / l[j][j];
            for (int i = j + 1; i < k; i++) {
                double s = 0;
                for (int q = j; q < i; q++) {
                    s -= l[i][q] * li[q][j];
                }
                li[i][j] = s / l[i][i];
            }
        }
        double[][] out = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int q = i; q < k; q++) {
                    s += li[q][i] * li[q][j];
                }
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        return out;
    }
}
