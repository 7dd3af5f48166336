package dev.empathy.lib.regression;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The "meat" of a sandwich covariance, accumulated in a second pass over the rows once the
 * coefficients are known, and mergeable across partitions: {@code sum e_i^2 x_i x_i'} (HC) or
 * the per-cluster score sums {@code u_g = sum_{i in g} e_i x_i} (CR), both in the shifted
 * coordinates of the {@link LeastSquaresSolution}.
 */
public final class RobustMeat implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final CovarianceType type;
    private final int p;
    private final double[][] hc;
    private final Map<Object, double[]> scores;
    private double[][] precomputed;
    private long precomputedClusters;

    /**
     * A meat summed elsewhere (for example per cluster across Spark partitions): the matrix in
     * the solution's shifted coordinates and, for cluster errors, the number of clusters.
     */
    public static RobustMeat of(CovarianceType type, double[][] matrix, long clusters) {
        RobustMeat m = new RobustMeat(type, matrix.length);
        m.precomputed = matrix;
        m.precomputedClusters = clusters;
        return m;
    }

    public RobustMeat(CovarianceType type, int p) {
        if (type == CovarianceType.CLASSICAL) {
            throw new IllegalArgumentException("classical standard errors need no meat");
        }
        this.type = type;
        this.p = p;
        this.hc = type == CovarianceType.HC1 ? new double[p][p] : null;
        this.scores = type == CovarianceType.CLUSTER ? new HashMap<>() : null;
    }

    /** One observation: its kept, shifted design row, its residual and (clustered) its cluster. */
    public void add(double[] row, double residual, Object cluster) {
        if (type == CovarianceType.HC1) {
            double e2 = residual * residual;
            for (int i = 0; i < p; i++) {
                double a = e2 * row[i];
                for (int j = i; j < p; j++) {
                    hc[i][j] += a * row[j];
                }
            }
        } else {
            if (cluster == null) {
                throw new IllegalArgumentException("cluster standard errors need a cluster for every row");
            }
            double[] u = scores.computeIfAbsent(cluster, k -> new double[p]);
            for (int i = 0; i < p; i++) {
                u[i] += residual * row[i];
            }
        }
    }

    public void merge(RobustMeat other) {
        if (type == CovarianceType.HC1) {
            for (int i = 0; i < p; i++) {
                for (int j = i; j < p; j++) {
                    hc[i][j] += other.hc[i][j];
                }
            }
        } else {
            other.scores.forEach((g, u) -> {
                double[] mine = scores.computeIfAbsent(g, k -> new double[p]);
                for (int i = 0; i < p; i++) {
                    mine[i] += u[i];
                }
            });
        }
    }

    /** A sandwich covariance and the clusters it was summed over (0 for HC1). */
    public record Sandwich(double[][] covariance, long clusters) {
    }

    /**
     * The sandwich {@code bread meat bread} of a likelihood model over {@code n} rows, scaled as
     * {@code sandwich::vcovCL(type = "HC1")} does with {@code k} = the bread's size: HC1 by
     * {@code n/(n-k)}, cluster by {@code G/(G-1) (n-1)/(n-k)}. With fewer than 2 clusters, or
     * {@code n <= k}, the covariance is NaN; a single cluster is noted in {@code notes}.
     */
    public Sandwich sandwich(double[][] bread, long n, List<FitNote> notes) {
        int k = bread.length;
        double factor;
        long g = 0;
        if (type == CovarianceType.CLUSTER) {
            g = clusters();
            if (g < 2) {
                notes.add(FitNote.of(FitNote.Problem.SINGLE_CLUSTER, List.of(),
                        "cluster standard errors need at least 2 clusters, found %d: standard errors are not "
                                + "defined", g));
                factor = Double.NaN;
            } else {
                factor = (double) g / (g - 1) * (n - 1) / (n - k);
            }
        } else {
            factor = (double) n / (n - k);
        }
        if (n <= k) {
            factor = Double.NaN;
        }
        double[][] m = matrix();
        double[][] bm = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int l = 0; l < k; l++) {
                for (int j = 0; j < k; j++) {
                    bm[i][j] += bread[i][l] * m[l][j];
                }
            }
        }
        double[][] v = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double sum = 0;
                for (int l = 0; l < k; l++) {
                    sum += bm[i][l] * bread[l][j];
                }
                v[i][j] = factor * sum;
            }
        }
        return new Sandwich(v, g);
    }

    public long clusters() {
        if (precomputed != null) {
            return precomputedClusters;
        }
        return scores == null ? 0 : scores.size();
    }

    /** The summed meat matrix. Clusters are summed in a fixed order so the result does not depend on arrival. */
    public double[][] matrix() {
        if (precomputed != null) {
            return precomputed;
        }
        if (type == CovarianceType.HC1) {
            double[][] m = new double[p][p];
            for (int i = 0; i < p; i++) {
                for (int j = i; j < p; j++) {
                    m[i][j] = hc[i][j];
                    m[j][i] = hc[i][j];
                }
            }
            return m;
        }
        double[][] m = new double[p][p];
        scores.entrySet().stream()
                .sorted((a, b) -> a.getKey().toString().compareTo(b.getKey().toString()))
                .forEach(e -> {
                    double[] u = e.getValue();
                    for (int i = 0; i < p; i++) {
                        for (int j = 0; j < p; j++) {
                            m[i][j] += u[i] * u[j];
                        }
                    }
                });
        return m;
    }
}
