package dev.empathy.lib.regression;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-cluster sufficient statistics for cluster-robust standard errors in the same pass as the
 * factor: for each cluster {@code g}, {@code X_g'X_g} (upper triangle) and {@code X_g'(y - c)}
 * over the shifted design rows. Once the coefficients {@code b} are known the cluster scores
 * are {@code u_g = X_g'(y - c) - X_g'X_g b'} with {@code b'} the coefficients whose intercept is
 * lowered by {@code c}, which equals {@code sum_{i in g} e_i x_i} exactly. Memory is
 * {@code clusters x k(k+1)/2} doubles, so the caller uses it only for a moderate number of
 * clusters; otherwise a second pass sums the scores.
 */
public final class ClusterGrams implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int p;
    private final double yShift;
    private final Map<Object, double[]> grams = new HashMap<>();

    /** @param yShift subtracted from the response (any value near its mean keeps the digits) */
    public ClusterGrams(int p, double yShift) {
        this.p = p;
        this.yShift = yShift;
    }

    /** One observation: its shifted design row, response and cluster. */
    public void add(double[] shiftedRow, double y, Object cluster) {
        double[] g = grams.computeIfAbsent(cluster, k -> new double[p * (p + 1) / 2 + p]);
        int at = 0;
        for (int i = 0; i < p; i++) {
            double xi = shiftedRow[i];
            for (int j = i; j < p; j++) {
                g[at++] += xi * shiftedRow[j];
            }
        }
        double r = y - yShift;
        for (int i = 0; i < p; i++) {
            g[at + i] += shiftedRow[i] * r;
        }
    }

    public void merge(ClusterGrams other) {
        other.grams.forEach((c, g) -> grams.merge(c, g, (a, b) -> {
            double[] s = a.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] += b[i];
            }
            return s;
        }));
    }

    public int clusters() {
        return grams.size();
    }

    /**
     * The meat {@code sum_g u_g u_g'} over the kept columns, in shifted coordinates.
     *
     * @param kept        the columns the solution kept
     * @param b           the solution's coefficients (shifted coordinates, kept columns)
     * @param intercept   whether kept column 0 is the intercept (then {@code b'} lowers it by the shift)
     */
    public double[][] meat(int[] kept, double[] b, boolean intercept) {
        int k = kept.length;
        double[] bShifted = b.clone();
        if (intercept) {
            bShifted[0] -= yShift;
        } else if (yShift != 0) {
            throw new IllegalStateException("a response shift needs an intercept");
        }
        double[][] m = new double[k][k];
        grams.entrySet().stream().sorted((x, y) -> x.getKey().toString().compareTo(y.getKey().toString()))
                .forEach(e -> {
                    double[] g = e.getValue();
                    double[] u = new double[k];
                    for (int a = 0; a < k; a++) {
                        int i = kept[a];
                        double s = g[p * (p + 1) / 2 + i];
                        for (int c = 0; c < k; c++) {
                            s -= gram(g, i, kept[c]) * bShifted[c];
                        }
                        u[a] = s;
                    }
                    for (int a = 0; a < k; a++) {
                        for (int c = 0; c < k; c++) {
                            m[a][c] += u[a] * u[c];
                        }
                    }
                });
        return m;
    }

    private double gram(double[] g, int i, int j) {
        int lo = Math.min(i, j);
        int hi = Math.max(i, j);
        // Row lo of the packed upper triangle starts after lo rows of lengths p, p-1, ...
        return g[lo * p - lo * (lo - 1) / 2 + (hi - lo)];
    }
}
