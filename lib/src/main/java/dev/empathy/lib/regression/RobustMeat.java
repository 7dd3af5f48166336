package dev.empathy.lib.regression;

import java.util.HashMap;
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
