package dev.empathy.jobs.fit;

import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.RobustMeat;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The meat of a cluster-robust covariance from score vectors keyed by cluster: the scores are
 * summed by key across partitions, then each partition adds up {@code u_g u_g'} for its
 * clusters, so only {@code k x k} matrices reach the driver whatever the number of clusters.
 */
final class ScoreSums {

    /** {@code sum_g u_g u_g'} and the number of clusters. */
    record Meat(double[][] matrix, long clusters) {
    }

    private ScoreSums() {
    }

    static Meat meat(JavaPairRDD<Object, double[]> scores, int k) {
        List<double[]> parts = Deterministic.reduceByKey(scores, ScoreSums::add, scores.getNumPartitions()).mapPartitions((Iterator<Tuple2<Object, double[]>> it) -> {
            double[] out = new double[k * k + 1];
            while (it.hasNext()) {
                double[] u = it.next()._2();
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        out[i * k + j] += u[i] * u[j];
                    }
                }
                out[k * k] += 1;
            }
            return List.of(out).iterator();
        }).collect();
        double[][] m = new double[k][k];
        long clusters = 0;
        for (double[] p : parts) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    m[i][j] += p[i * k + j];
                }
            }
            clusters += (long) p[k * k];
        }
        return new Meat(m, clusters);
    }

    /**
     * A row's score as {@code weight * vector}: the model writes the vector into {@code out}
     * (length k) and returns the weight (a logit's residual {@code y - p} with the kept design
     * columns; 1 with the whole score of an ordered logit).
     */
    interface RowScore extends Serializable {
        double score(double[] x, double y, double[] out);
    }

    /**
     * The HC1 or cluster meat of a likelihood model over Spark: every usable row's score
     * ({@link RowScore}), summed as {@code sum_i s_i s_i'} (HC1) or by cluster (above).
     */
    static RobustMeat robust(JavaRDD<Row> rows, Map<String, Integer> index, ModelSpec spec, String cluster,
                             CovarianceType type, int k, RowScore score) {
        if (type == CovarianceType.CLUSTER && cluster == null) {
            throw new IllegalArgumentException("cluster standard errors need a cluster column");
        }
        int width = spec.width();
        if (type == CovarianceType.HC1) {
            List<double[][]> parts = rows.mapPartitions((Iterator<Row> it) -> {
                RobustMeat m = new RobustMeat(CovarianceType.HC1, k);
                SparkRowValues values = new SparkRowValues(index);
                double[] x = new double[width];
                double[] s = new double[k];
                while (it.hasNext()) {
                    SparkRowValues v = values.of(it.next());
                    double y = spec.response(v);
                    if (!Double.isNaN(y) && spec.encode(v, x)) {
                        m.add(s, score.score(x, y, s), null);
                    }
                }
                return List.<double[][]>of(m.matrix()).iterator();
            }).collect();
            double[][] m = new double[k][k];
            for (double[][] part : parts) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        m[i][j] += part[i][j];
                    }
                }
            }
            return RobustMeat.of(type, m, 0);
        }
        Meat meat = meat(rows.mapPartitionsToPair((Iterator<Row> it) -> {
            Map<Object, double[]> byKey = new HashMap<>();
            SparkRowValues values = new SparkRowValues(index);
            double[] x = new double[width];
            double[] s = new double[k];
            while (it.hasNext()) {
                SparkRowValues v = values.of(it.next());
                double y = spec.response(v);
                Object key = v.raw(cluster);
                if (Double.isNaN(y) || key == null || !spec.encode(v, x)) {
                    continue;
                }
                double w = score.score(x, y, s);
                double[] sum = byKey.computeIfAbsent(key, c -> new double[k]);
                for (int j = 0; j < k; j++) {
                    sum[j] += w * s[j];
                }
            }
            List<Tuple2<Object, double[]>> out = new ArrayList<>(byKey.size());
            byKey.forEach((c, u) -> out.add(new Tuple2<>(c, u)));
            return out.iterator();
        }), k);
        return RobustMeat.of(type, meat.matrix(), meat.clusters());
    }

    static double[] add(double[] a, double[] b) {
        double[] s = a.clone();
        for (int j = 0; j < s.length; j++) {
            s[j] += b[j];
        }
        return s;
    }
}
