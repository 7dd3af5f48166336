package dev.empathy.lib.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The log odds ratio of an event of one's own (a contact's follow-up) between two sides
 * (exposed {@code 1}, not {@code 0}), corrected for events that happen anyway (background), pooled
 * over strata by inverse variance.
 *
 * <p>Within a cell (side x stratum), {@code Y} counts units without an event in the window and
 * {@code Z} units without an event in a control window that sees only the background. With
 * {@code P(no event) = (1 - p)(1 - q)} and {@code P(no control event) = 1 - q},
 * {@code 1 - p = Y / Z}, so {@code log odds(p) = log(Z - Y) - log Y}. A stratum's estimate is the
 * difference of the two sides' log odds; its variance is {@code g' V g} by the delta method, with
 * {@code V} the covariance of the cells' (Y, Z) totals (for example clustered by customer) and
 * {@code g} the gradient. The strata are pooled with weights {@code 1 / var}, and the pooled
 * variance is {@code w' V_strata w / (sum w)^2}, which keeps the strata's covariances.
 */
public final class BackgroundCorrectedOdds {

    /** The pooled log odds ratio, its standard error, and the strata used and dropped. */
    public record Pooled(double logOddsRatio, double stdError, int strata, int strataDropped) {
    }

    private BackgroundCorrectedOdds() {
    }

    /**
     * @param cells    cell key {@code "<side>|<stratum>"} ({@code side} {@code 1} or {@code 0}) to the
     *                 cell's index {@code c}
     * @param totals   {@code Y} of cell {@code c} at {@code 2c}, {@code Z} at {@code 2c + 1}
     * @param cov      the covariance of {@code totals}
     * @param minCount a stratum is dropped when a side has fewer than this in {@code Y} or {@code Z - Y}
     *                 (or lacks a side)
     */
    public static Pooled pool(Map<String, Integer> cells, double[] totals, double[][] cov, int minCount) {
        Map<String, int[]> strata = new TreeMap<>();
        for (Map.Entry<String, Integer> e : cells.entrySet()) {
            String[] parts = e.getKey().split("\\|", 2);
            int side = parts[0].equals("1") ? 1 : 0;
            strata.computeIfAbsent(parts[1], s -> new int[] {-1, -1})[side] = e.getValue();
        }
        int dim = totals.length;
        List<double[]> gradients = new ArrayList<>();
        List<Double> deltas = new ArrayList<>();
        int dropped = 0;
        for (int[] pair : strata.values()) {
            if (pair[0] < 0 || pair[1] < 0 || !usable(totals, pair[0], minCount)
                    || !usable(totals, pair[1], minCount)) {
                dropped++;
                continue;
            }
            double[] g = new double[dim];
            double delta = 0;
            for (int side = 0; side < 2; side++) {
                int c = pair[side];
                double y = totals[2 * c];
                double z = totals[2 * c + 1];
                double sign = side == 1 ? 1 : -1;
                delta += sign * (Math.log(z - y) - Math.log(y));
                g[2 * c] = sign * (-1 / (z - y) - 1 / y);
                g[2 * c + 1] = sign / (z - y);
            }
            deltas.add(delta);
            gradients.add(g);
        }
        int s = deltas.size();
        double[][] v = new double[s][s];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                v[i][j] = Wald.bilinear(gradients.get(i), cov, gradients.get(j));
            }
        }
        double weights = 0;
        double estimate = 0;
        double[] w = new double[s];
        for (int i = 0; i < s; i++) {
            w[i] = 1 / v[i][i];
            weights += w[i];
            estimate += w[i] * deltas.get(i);
        }
        double variance = Wald.quadratic(w, v);
        return new Pooled(s == 0 ? Double.NaN : estimate / weights,
                s == 0 ? Double.NaN : Math.sqrt(variance) / weights, s, dropped);
    }

    private static boolean usable(double[] totals, int cell, int minCount) {
        double y = totals[2 * cell];
        double z = totals[2 * cell + 1];
        return y >= minCount && z - y >= minCount;
    }
}
