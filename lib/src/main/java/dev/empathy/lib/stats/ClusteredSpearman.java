package dev.empathy.lib.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Spearman's rank correlation of paired observations that come in clusters (the weeks of one
 * agent), with intervals that allow for observations of one cluster being alike.
 *
 * <p><b>Estimate.</b> Spearman's rho with tie-corrected ranks: the Pearson correlation of the
 * mid-ranks (ties share the mean of the ranks they span), as R's {@code cor(x, y, method =
 * "spearman")}.
 *
 * <p><b>Pooled, with a cluster bootstrap.</b> Rho over every pair; its interval is the percentile
 * interval of the cluster (pairs) bootstrap: each replicate draws as many clusters as there are,
 * with replacement, and takes every pair of each drawn cluster as often as the cluster was drawn
 * (Davison and Hinkley 1997, section 3.8, "resampling clusters"). A replicate is computed without
 * copying data: a pair drawn {@code w} times is a pair of frequency weight {@code w}, its mid-rank
 * {@code C + (W + 1) / 2} where {@code C} is the weight of the smaller values and {@code W} that of
 * its tied values, exactly the rank it would have among the copies; then the weighted Pearson
 * correlation of those ranks. The bounds are R's {@code quantile(type = 7)} of the replicates at
 * {@code (1 - level) / 2} and {@code 1 - (1 - level) / 2}. Replicates in which the ranks of one
 * variable are all tied have no correlation and are left out (counted).
 *
 * <p><b>Within clusters.</b> Rho of the cluster-demeaned values ({@code x - mean of x in its
 * cluster}, the same for {@code y}) over the clusters with at least two pairs: it asks whether an
 * agent's worse weeks are the weeks they report more tired, whatever their usual level, so that
 * differences between agents do not count. Its interval is the same cluster bootstrap (the
 * cluster means do not move when a cluster is drawn twice, so the demeaned values are fixed and
 * only the weights change).
 *
 * <p>Replicates are drawn from a {@link SplittableRandom} seeded by the caller: the same data,
 * seed and number of replicates give the same interval.
 */
public final class ClusteredSpearman {

    /**
     * An estimate with its bootstrap interval.
     *
     * @param rho        Spearman's rho (NaN when the ranks of one variable are all tied, or no pairs)
     * @param low        the lower bound (NaN without replicates, or with fewer than two clusters)
     * @param high       the upper bound
     * @param pairs      the pairs it was computed from
     * @param clusters   the clusters they came in
     * @param replicates replicates asked for
     * @param usable     replicates that had a correlation (the bounds come from these)
     */
    public record Result(double rho, double low, double high, long pairs, long clusters, int replicates, int usable) {
    }

    private final double[] x;
    private final double[] y;
    private final int[] cluster;
    private final int clusters;

    private ClusteredSpearman(double[] x, double[] y, int[] cluster, int clusters) {
        this.x = x;
        this.y = y;
        this.cluster = cluster;
        this.clusters = clusters;
    }

    /**
     * @param x       the first variable (finite values)
     * @param y       the second (finite values)
     * @param cluster the cluster of each pair, as codes {@code 0 .. G - 1}
     * @throws IllegalArgumentException when the arrays differ in length or a value is not finite
     */
    public static ClusteredSpearman of(double[] x, double[] y, int[] cluster) {
        if (x.length != y.length || x.length != cluster.length) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "x, y and cluster must have one value per pair: %d, %d and %d", x.length, y.length,
                    cluster.length));
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || cluster[i] < 0) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "pair %d: x %s, y %s, cluster %d; values must be finite and clusters 0 or more", i, x[i],
                        y[i], cluster[i]));
            }
        }
        int g = Arrays.stream(cluster).max().orElse(-1) + 1;
        return new ClusteredSpearman(x.clone(), y.clone(), cluster.clone(), g);
    }

    /** Rho over every pair, with the cluster bootstrap's percentile interval. */
    public Result pooled(int replicates, long seed, double level) {
        return bootstrap(x, y, cluster, replicates, seed, level);
    }

    /** Rho of the cluster-demeaned values over clusters with two pairs or more, with the same bootstrap. */
    public Result withinClusters(int replicates, long seed, double level) {
        double[] sumX = new double[clusters];
        double[] sumY = new double[clusters];
        int[] count = new int[clusters];
        for (int i = 0; i < x.length; i++) {
            sumX[cluster[i]] += x[i];
            sumY[cluster[i]] += y[i];
            count[cluster[i]]++;
        }
        int[] keep = IntStream.range(0, x.length).filter(i -> count[cluster[i]] >= 2).toArray();
        double[] dx = new double[keep.length];
        double[] dy = new double[keep.length];
        int[] c = new int[keep.length];
        for (int k = 0; k < keep.length; k++) {
            int i = keep[k];
            dx[k] = x[i] - sumX[cluster[i]] / count[cluster[i]];
            dy[k] = y[i] - sumY[cluster[i]] / count[cluster[i]];
            c[k] = cluster[i];
        }
        return bootstrap(dx, dy, c, replicates, seed, level);
    }

    private Result bootstrap(double[] a, double[] b, int[] groups, int replicates, long seed, double level) {
        if (!(level > 0 && level < 1) || replicates < 0) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "level must be in (0, 1) and replicates 0 or more, got %s and %d", level, replicates));
        }
        int n = a.length;
        int[] byA = order(a);
        int[] byB = order(b);
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        double rho = weightedRho(a, b, byA, byB, ones);
        // Clusters that have pairs here, renumbered 0 .. present - 1.
        int[] present = Arrays.stream(groups).distinct().sorted().toArray();
        int[] index = new int[clusters];
        for (int k = 0; k < present.length; k++) {
            index[present[k]] = k;
        }
        int g = present.length;
        if (replicates == 0 || g < 2 || Double.isNaN(rho)) {
            return new Result(rho, Double.NaN, Double.NaN, n, g, replicates, 0);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] drawn = new double[g];
        double[] w = new double[n];
        double[] values = new double[replicates];
        int usable = 0;
        for (int r = 0; r < replicates; r++) {
            Arrays.fill(drawn, 0);
            for (int k = 0; k < g; k++) {
                drawn[random.nextInt(g)]++;
            }
            for (int i = 0; i < n; i++) {
                w[i] = drawn[index[groups[i]]];
            }
            double v = weightedRho(a, b, byA, byB, w);
            if (!Double.isNaN(v)) {
                values[usable++] = v;
            }
        }
        if (usable == 0) {
            return new Result(rho, Double.NaN, Double.NaN, n, g, replicates, 0);
        }
        double[] sorted = Arrays.copyOf(values, usable);
        Arrays.sort(sorted);
        double tail = (1 - level) / 2;
        return new Result(rho, quantile(sorted, tail), quantile(sorted, 1 - tail), n, g, replicates, usable);
    }

    /** R's {@code quantile(v, p, type = 7)} of sorted values: {@code h = (n - 1) p}, linear between neighbours. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Indices in ascending order of value. */
    private static int[] order(double[] v) {
        return IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i]))
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * Spearman's rho of the pairs with frequency weights {@code w} (a weight of 0 leaves a pair
     * out): the weighted Pearson correlation of the weighted mid-ranks. NaN when either variable's
     * ranks have no spread.
     */
    static double weightedRho(double[] a, double[] b, int[] byA, int[] byB, double[] w) {
        double[] ra = midRanks(a, byA, w);
        double[] rb = midRanks(b, byB, w);
        double total = 0;
        double meanA = 0;
        double meanB = 0;
        for (int i = 0; i < a.length; i++) {
            total += w[i];
            meanA += w[i] * ra[i];
            meanB += w[i] * rb[i];
        }
        if (total == 0) {
            return Double.NaN;
        }
        meanA /= total;
        meanB /= total;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int i = 0; i < a.length; i++) {
            if (w[i] == 0) {
                continue;
            }
            double da = ra[i] - meanA;
            double db = rb[i] - meanB;
            saa += w[i] * da * da;
            sbb += w[i] * db * db;
            sab += w[i] * da * db;
        }
        if (saa <= 0 || sbb <= 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
    }

    /** Each pair's mid-rank among the weighted values: weight below plus (weight of its ties + 1) / 2. */
    private static double[] midRanks(double[] v, int[] order, double[] w) {
        double[] rank = new double[v.length];
        double below = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            double tied = 0;
            while (j < order.length && v[order[j]] == v[order[i]]) {
                tied += w[order[j]];
                j++;
            }
            double mid = below + (tied + 1) / 2;
            for (int k = i; k < j; k++) {
                rank[order[k]] = mid;
            }
            below += tied;
            i = j;
        }
        return rank;
    }
}
