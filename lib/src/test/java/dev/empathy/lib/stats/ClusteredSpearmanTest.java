package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sixteen pairs in six clusters, with ties in both variables (x a weekly index, y a 1-5 pulse):
 * <pre>
 * x 3 1.5 4 | 4 0 2.5 6 | 1 1 | 3.5 5 2 | 0 4.5 2 | 7
 * y 2 1   3 | 4 1 2   5 | 2 1 | 3   4 2 | 1 3   3 | 5
 * </pre>
 * Expected values from R 4.2.2:
 * <pre>
 * x &lt;- c(3, 1.5, 4, 4, 0, 2.5, 6, 1, 1, 3.5, 5, 2, 0, 4.5, 2, 7)
 * y &lt;- c(2, 1, 3, 4, 1, 2, 5, 2, 1, 3, 4, 2, 1, 3, 3, 5)
 * g &lt;- c(1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 6)
 * cor(x, y, method = "spearman")                        # 0.91712353884665454
 * k &lt;- ave(x, g, FUN = length) &gt;= 2
 * cor((x - ave(x, g))[k], (y - ave(y, g))[k], method = "spearman")   # 0.90778912681159474
 * # without the sixteenth pair, a replicate drawing clusters 1, 1, 3, 4, 4:
 * w &lt;- c(2, 0, 1, 2, 0)[g[1:15]]
 * cor(rep(x[1:15], w), rep(y[1:15], w), method = "spearman")        # 0.92213889195414678
 * dx &lt;- (x - ave(x, g))[1:15]; dy &lt;- (y - ave(y, g))[1:15]
 * cor(rep(dx, w), rep(dy, w), method = "spearman")                  # 0.92499458012576063
 * quantile(c(0.1, 0.5, 0.2, 0.9, 0.4), c(0.025, 0.975), type = 7)   # 0.11, 0.86
 * </pre>
 */
class ClusteredSpearmanTest {

    static final double[] X = {3, 1.5, 4, 4, 0, 2.5, 6, 1, 1, 3.5, 5, 2, 0, 4.5, 2, 7};
    static final double[] Y = {2, 1, 3, 4, 1, 2, 5, 2, 1, 3, 4, 2, 1, 3, 3, 5};
    static final int[] G = {0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5};

    @Test
    void pooledRhoIsRsTieCorrectedSpearman() {
        ClusteredSpearman.Result r = ClusteredSpearman.of(X, Y, G).pooled(0, 1, 0.95);
        assertEquals(0.91712353884665454, r.rho(), 1e-14);
        assertEquals(16, r.pairs());
        assertEquals(6, r.clusters());
        assertTrue(Double.isNaN(r.low()), "no replicates, no interval");
    }

    @Test
    void withinClusterRhoRanksTheDemeanedValuesOfClustersWithTwoPairsOrMore() {
        ClusteredSpearman.Result r = ClusteredSpearman.of(X, Y, G).withinClusters(0, 1, 0.95);
        assertEquals(0.90778912681159474, r.rho(), 1e-14);
        assertEquals(15, r.pairs(), "the cluster of one pair has nothing to compare within");
        assertEquals(5, r.clusters());
    }

    @Test
    void aReplicateIsTheRhoOfTheDrawnClustersCopiedAsOftenAsDrawn() {
        double[] x = Arrays.copyOf(X, 15);
        double[] y = Arrays.copyOf(Y, 15);
        double[] w = new double[15];
        double[] perCluster = {2, 0, 1, 2, 0};
        for (int i = 0; i < 15; i++) {
            w[i] = perCluster[G[i]];
        }
        assertEquals(0.92213889195414678, ClusteredSpearman.weightedRho(x, y, order(x), order(y), w), 1e-14);
        double[] dx = new double[15];
        double[] dy = new double[15];
        double[][] means = clusterMeans(x, y);
        for (int i = 0; i < 15; i++) {
            dx[i] = x[i] - means[0][G[i]];
            dy[i] = y[i] - means[1][G[i]];
        }
        assertEquals(0.92499458012576063, ClusteredSpearman.weightedRho(dx, dy, order(dx), order(dy), w), 1e-14);
    }

    @Test
    void quantilesAreRsType7() {
        double[] sorted = {0.1, 0.2, 0.4, 0.5, 0.9};
        assertEquals(0.11, ClusteredSpearman.quantile(sorted, 0.025), 1e-15);
        assertEquals(0.86, ClusteredSpearman.quantile(sorted, 0.975), 1e-15);
    }

    @Test
    void theIntervalIsReproducibleAndHoldsTheEstimate() {
        ClusteredSpearman s = ClusteredSpearman.of(X, Y, G);
        ClusteredSpearman.Result a = s.pooled(999, 42, 0.95);
        ClusteredSpearman.Result b = s.pooled(999, 42, 0.95);
        assertEquals(a, b);
        assertTrue(a.low() < a.rho() && a.rho() <= a.high() && a.high() <= 1, a.toString());
        assertTrue(a.usable() > 900 && a.usable() <= 999, a.toString());
        ClusteredSpearman.Result other = s.pooled(999, 43, 0.95);
        assertTrue(other.low() != a.low() || other.high() != a.high(), "another seed, other replicates");
    }

    /**
     * Clusters, not pairs, are resampled: copying every pair of every cluster three times within
     * its cluster changes neither rho (the ranks of tripled data are a linear function of the
     * original ranks) nor any replicate, so the interval is identical. A bootstrap of pairs would
     * narrow it by about sqrt(3).
     */
    @Test
    void copiesWithinAClusterAddNoInformation() {
        int n = X.length;
        double[] x3 = new double[3 * n];
        double[] y3 = new double[3 * n];
        int[] g3 = new int[3 * n];
        for (int i = 0; i < 3 * n; i++) {
            x3[i] = X[i % n];
            y3[i] = Y[i % n];
            g3[i] = G[i % n];
        }
        ClusteredSpearman.Result once = ClusteredSpearman.of(X, Y, G).pooled(500, 7, 0.9);
        ClusteredSpearman.Result thrice = ClusteredSpearman.of(x3, y3, g3).pooled(500, 7, 0.9);
        assertEquals(once.rho(), thrice.rho(), 1e-14);
        assertEquals(once.low(), thrice.low(), 1e-14);
        assertEquals(once.high(), thrice.high(), 1e-14);
        assertEquals(48, thrice.pairs());
    }

    /**
     * On 400 independent clusters of one pair from a bivariate normal with correlation 0.5, the
     * percentile interval is close to the Fisher-z interval for Spearman's rho of Bonett and
     * Wright (2000): atanh(r) +- 1.96 sqrt((1 + r^2 / 2) / (n - 3)), computed here from the same rho.
     */
    @Test
    void withOnePairPerClusterTheIntervalIsTheUsualOne() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 400;
        double[] x = new double[n];
        double[] y = new double[n];
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            double a = random.nextGaussian();
            x[i] = a;
            y[i] = 0.5 * a + Math.sqrt(0.75) * random.nextGaussian();
            g[i] = i;
        }
        ClusteredSpearman.Result r = ClusteredSpearman.of(x, y, g).pooled(2000, 3, 0.95);
        double z = 0.5 * Math.log((1 + r.rho()) / (1 - r.rho()));
        double half = 1.959964 * Math.sqrt((1 + r.rho() * r.rho() / 2) / (n - 3));
        assertEquals(Math.tanh(z - half), r.low(), 0.02);
        assertEquals(Math.tanh(z + half), r.high(), 0.02);
    }

    @Test
    void withoutSpreadOrClustersThereIsNoCorrelationOrNoInterval() {
        double[] flat = new double[16];
        Arrays.fill(flat, 2);
        assertTrue(Double.isNaN(ClusteredSpearman.of(X, flat, G).pooled(99, 1, 0.95).rho()));
        int[] one = new int[16];
        ClusteredSpearman.Result single = ClusteredSpearman.of(X, Y, one).pooled(99, 1, 0.95);
        assertEquals(0.91712353884665454, single.rho(), 1e-14);
        assertTrue(Double.isNaN(single.low()) && Double.isNaN(single.high()), "one cluster: no interval");
        ClusteredSpearman.Result empty = ClusteredSpearman.of(new double[0], new double[0], new int[0])
                .withinClusters(99, 1, 0.95);
        assertTrue(Double.isNaN(empty.rho()) && empty.pairs() == 0);
        assertThrows(IllegalArgumentException.class,
                () -> ClusteredSpearman.of(new double[] {Double.NaN}, new double[] {1}, new int[] {0}));
    }

    private static int[] order(double[] v) {
        return java.util.stream.IntStream.range(0, v.length).boxed()
                .sorted(java.util.Comparator.comparingDouble(i -> v[i])).mapToInt(Integer::intValue).toArray();
    }

    private static double[][] clusterMeans(double[] x, double[] y) {
        double[][] sums = new double[3][6];
        for (int i = 0; i < x.length; i++) {
            sums[0][G[i]] += x[i];
            sums[1][G[i]] += y[i];
            sums[2][G[i]]++;
        }
        for (int c = 0; c < 6; c++) {
            if (sums[2][c] > 0) {
                sums[0][c] /= sums[2][c];
                sums[1][c] /= sums[2][c];
            }
        }
        return sums;
    }
}
