package dev.empathy.lib.regression;

import java.util.Arrays;

/**
 * Fixed effects absorbed by the within transformation: every design column and the response
 * are demeaned by each factor in turn, repeatedly (the method of alternating projections, as
 * fixest and reghdfe use) until no value moves by more than {@code 1e-13} of its column's
 * scale. One factor needs one sweep. The slopes of least squares on the demeaned data equal
 * those of the model with one indicator per level (Frisch-Waugh-Lovell).
 *
 * <p>Degrees of freedom follow fixest ({@code ssc(adj = TRUE, fixef.K = "nested",
 * cluster.adj = TRUE)}): the absorbed levels count in {@code K}, less one per redundant level
 * (exactly for one or two factors, via the connected components of the two factors' levels;
 * one per extra factor beyond two, as reghdfe does conservatively), and with cluster standard
 * errors a factor nested in the cluster variable does not count at all.
 */
public final class AbsorbedFixedEffects {

    private static final int MAX_SWEEPS = 10_000;
    private static final double TOLERANCE = 1e-13;

    private AbsorbedFixedEffects() {
    }

    /** The demeaned data and the number of parameters the factors absorb. */
    public record Demeaned(double[][] columns, double[] y, int sweeps, long absorbedParameters) {
    }

    /**
     * @param columns design columns (no intercept: it is absorbed)
     * @param codes   per factor, the level index (0..levels-1) of each row
     */
    public static Demeaned demean(double[][] columns, double[] y, int[][] codes) {
        int n = y.length;
        double[][] data = new double[columns.length + 1][];
        for (int j = 0; j < columns.length; j++) {
            data[j] = columns[j].clone();
        }
        data[columns.length] = y.clone();
        int[] levels = new int[codes.length];
        for (int f = 0; f < codes.length; f++) {
            levels[f] = Arrays.stream(codes[f]).max().orElse(-1) + 1;
        }
        double[] scale = new double[data.length];
        for (int j = 0; j < data.length; j++) {
            for (double v : data[j]) {
                scale[j] = Math.max(scale[j], Math.abs(v));
            }
        }
        int sweeps = 0;
        boolean moving = true;
        while (moving && sweeps < MAX_SWEEPS) {
            moving = false;
            sweeps++;
            for (int f = 0; f < codes.length; f++) {
                for (int j = 0; j < data.length; j++) {
                    double[] sum = new double[levels[f]];
                    long[] count = new long[levels[f]];
                    for (int i = 0; i < n; i++) {
                        sum[codes[f][i]] += data[j][i];
                        count[codes[f][i]]++;
                    }
                    double largest = 0;
                    for (int g = 0; g < levels[f]; g++) {
                        if (count[g] > 0) {
                            sum[g] /= count[g];
                            largest = Math.max(largest, Math.abs(sum[g]));
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        data[j][i] -= sum[codes[f][i]];
                    }
                    if (codes.length > 1 && largest > TOLERANCE * Math.max(scale[j], 1e-300)) {
                        moving = true;
                    }
                }
            }
        }
        return new Demeaned(Arrays.copyOf(data, columns.length), data[columns.length], sweeps,
                absorbedParameters(codes, levels));
    }

    /** Levels absorbed, less the redundant ones. */
    static long absorbedParameters(int[][] codes, int[] levels) {
        long total = 0;
        for (int l : levels) {
            total += l;
        }
        if (codes.length >= 2) {
            total -= components(codes[0], codes[1], levels[0], levels[1]);
            total -= codes.length - 2;
        }
        return total;
    }

    /** Connected components of the bipartite graph of two factors' levels (union-find). */
    public static int components(int[] a, int[] b, int levelsA, int levelsB) {
        int[] parent = new int[levelsA + levelsB];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < a.length; i++) {
            int x = find(parent, a[i]);
            int y = find(parent, levelsA + b[i]);
            if (x != y) {
                parent[x] = y;
            }
        }
        int count = 0;
        for (int i = 0; i < parent.length; i++) {
            if (find(parent, i) == i) {
                count++;
            }
        }
        return count;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Whether every level of {@code factor} lies within one cluster. */
    public static boolean nestedIn(int[] factor, Object[] cluster) {
        java.util.Map<Integer, Object> seen = new java.util.HashMap<>();
        for (int i = 0; i < factor.length; i++) {
            Object previous = seen.putIfAbsent(factor[i], cluster[i]);
            if (previous != null && !previous.equals(cluster[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * OLS with the factors absorbed: the design must have no intercept column (it is absorbed).
     *
     * @param codes per factor, the level index of each row
     */
    public static OlsFit fit(Design design, double[] y, int[][] codes, Object[] cluster, OlsOptions options) {
        if (design.intercept()) {
            throw new IllegalArgumentException("absorbed fixed effects replace the intercept: drop it (- 1)");
        }
        Demeaned d = demean(design.columns(), y, codes);
        long absorbed = d.absorbedParameters();
        if (options.covariance() == CovarianceType.CLUSTER) {
            int[] levels = new int[codes.length];
            for (int f = 0; f < codes.length; f++) {
                levels[f] = Arrays.stream(codes[f]).max().orElse(-1) + 1;
                if (nestedIn(codes[f], cluster)) {
                    absorbed -= levels[f] - (f == 0 ? 0 : 1);
                }
            }
            absorbed = Math.max(0, absorbed);
        }
        Design demeaned = new Design(design.names(), d.columns(), false);
        double sumSquares = 0;
        for (double v : y) {
            sumSquares += v * v;
        }
        return Ols.fit(demeaned, d.y(), cluster, options, absorbed, sumSquares);
    }
}
