package dev.empathy.jobs.fit;

import dev.empathy.jobs.spark.Deterministic;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
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
     * columns; 1 with the whole score of an ordered logit). {@link ModelRows#meat} sums them.
     */
    interface RowScore extends Serializable {
        double score(double[] x, double y, double[] out);
    }

    static double[] add(double[] a, double[] b) {
        double[] s = a.clone();
        for (int j = 0; j < s.length; j++) {
            s[j] += b[j];
        }
        return s;
    }
}
