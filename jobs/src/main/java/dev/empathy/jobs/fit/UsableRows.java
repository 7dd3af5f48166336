package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.ModelSpec;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

/**
 * One pass of a likelihood fit over Spark: each partition folds its usable rows (the response
 * known and the design encoded) into a fresh accumulator, and the partitions' accumulators come
 * back to the driver to be merged.
 */
final class UsableRows {

    /** A fresh, empty accumulator of a partition. */
    interface Fresh<A> extends Serializable {
        A get();
    }

    /** Adds one usable row: its encoded design {@code x} and its response {@code y}. */
    interface Fold<A> extends Serializable {
        void add(A accumulator, double[] x, double y);
    }

    private UsableRows() {
    }

    static <A> List<A> fold(JavaRDD<Row> rows, Map<String, Integer> index, ModelSpec spec, Fresh<A> fresh,
                            Fold<A> fold) {
        int width = spec.width();
        return rows.mapPartitions((Iterator<Row> it) -> {
            A accumulator = fresh.get();
            SparkRowValues values = new SparkRowValues(index);
            double[] x = new double[width];
            while (it.hasNext()) {
                SparkRowValues v = values.of(it.next());
                double y = spec.response(v);
                if (!Double.isNaN(y) && spec.encode(v, x)) {
                    fold.add(accumulator, x, y);
                }
            }
            return List.of(accumulator).iterator();
        }).collect();
    }
}
