package dev.empathy.jobs.spark;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Floating-point sums that do not depend on where Spark ran: the same input gives the same bits
 * in local mode and on any cluster.
 *
 * <p>A sum of doubles depends on the order of its terms. Spark gives no order: the rows of a
 * partition after a shuffle arrive in the order the map outputs were fetched (random on a
 * cluster), the number of input partitions follows the cores, and a reduce merges partial
 * results as they come. Here the rows are spread over a fixed number of partitions
 * ({@value #DEFAULT_PARTITIONS}, or {@code spark.empathy.partitions}) by a hash of their values
 * and sorted within each partition by a hash of every column and then by every column, so each
 * partition holds the same rows in the same order wherever it runs; partial results are merged
 * in partition-index order, and keyed results are merged in the order of the partitions they
 * came from and then visited in key order. Rows equal in every column are interchangeable, so
 * this is a total order of what matters.
 *
 * <p>The hash comes first for speed, not for order: Spark compares sorted rows by a 64-bit
 * prefix of the first sort column and compares whole rows only when prefixes tie. The first
 * column of a model's rows is often a 0/1 flag (a repeat, a churn) or a code of a few levels, so
 * when the rows were sorted by their columns alone nearly every comparison fell to whole rows; a
 * hash of the row (Spark's {@code xxhash64}, the same on every machine) settles almost all of
 * them from the prefix. Rows with equal hashes still meet the column-by-column comparison.
 */
public final class Deterministic {

    /** Partitions of a deterministic layout unless {@code spark.empathy.partitions} says otherwise. */
    public static final int DEFAULT_PARTITIONS = 16;

    /**
     * Strings in the order Spark sorts them: by their UTF-8 bytes, unsigned (Java's
     * {@code compareTo} orders UTF-16 units, which differs above U+FFFF). Serializable, for
     * closures.
     */
    public static final Comparator<String> STRING_ORDER = (Comparator<String> & Serializable) (a, b) ->
            java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    b.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    /** The setting that changes the number of partitions (the same value gives the same bits). */
    public static final String PARTITIONS_SETTING = "spark.empathy.partitions";

    private Deterministic() {
    }

    /** The number of partitions of a deterministic layout in this session. */
    public static int partitions(Dataset<?> any) {
        String value = any.sparkSession().conf().get(PARTITIONS_SETTING, Integer.toString(DEFAULT_PARTITIONS));
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(PARTITIONS_SETTING + " must be a whole number from 1, got " + value);
    }

    /**
     * The rows over a fixed number of partitions by a hash of every column, each partition sorted
     * by every column ({@link #rowOrder}): folding each partition in order and merging the
     * partitions' results in index order gives the same bits on every run.
     */
    public static Dataset<Row> rows(Dataset<Row> rows) {
        Column[] all = columns(rows);
        return rows.repartition(partitions(rows), all).sortWithinPartitions(rowOrder(all));
    }

    /**
     * The rows of each group (equal {@code keys}) together in one partition, sorted by every
     * column ({@link #rowOrder}): a {@code groupBy(keys).agg(...)} over the result aggregates
     * each group in one task over its rows in a fixed order, so aggregates of doubles
     * ({@code sum}, {@code avg}, {@code corr}) come out the same on every run. Without keys, all
     * rows go to one partition.
     */
    public static Dataset<Row> byKeys(Dataset<Row> rows, Column... keys) {
        Column[] all = columns(rows);
        Dataset<Row> spread = keys.length == 0 ? rows.repartition(1) : rows.repartition(partitions(rows), keys);
        return spread.sortWithinPartitions(rowOrder(all));
    }

    /**
     * The sort order of a deterministic layout: {@code xxhash64} of every column, then every
     * column. A total order of the rows' values, as sorting by every column alone is; the hash
     * first lets Spark settle almost every comparison on its 64-bit sort prefix.
     */
    private static Column[] rowOrder(Column[] all) {
        if (all.length == 0) {
            return all;
        }
        Column[] order = new Column[all.length + 1];
        order[0] = xxhash64(all);
        System.arraycopy(all, 0, order, 1, all.length);
        return order;
    }

    /**
     * {@code reduceByKey} with a fixed order: each key's values are merged in the order of the
     * partitions they came from (the values of one partition in the order it gave them), into
     * a fixed number of partitions, each sorted by key ({@link #KEY_ORDER}). With input
     * partitions from {@link #rows}, sums over a result partition's keys are deterministic too.
     */
    public static <K, V> JavaPairRDD<K, V> reduceByKey(JavaPairRDD<K, V> pairs, Function2<V, V, V> merge,
                                                       int partitions) {
        JavaRDD<Tuple2<K, Tuple2<Integer, V>>> tagged = pairs.rdd().toJavaRDD().mapPartitionsWithIndex(
                (Integer index, Iterator<Tuple2<K, V>> it) -> Partitions.map(it,
                        e -> new Tuple2<>(e._1(), new Tuple2<>(index, e._2()))), true);
        return JavaPairRDD.fromJavaRDD(tagged).groupByKey(new HashPartitioner(partitions))
                .mapPartitionsToPair((Iterator<Tuple2<K, Iterable<Tuple2<Integer, V>>>> it) -> {
                    List<Tuple2<K, V>> out = new ArrayList<>();
                    List<Tuple2<Integer, V>> parts = new ArrayList<>();
                    while (it.hasNext()) {
                        Tuple2<K, Iterable<Tuple2<Integer, V>>> e = it.next();
                        parts.clear();
                        e._2().forEach(parts::add);
                        // A stable sort: one partition's values keep the order the partition gave them.
                        parts.sort(Comparator.comparingInt(Tuple2::_1));
                        V total = parts.get(0)._2();
                        for (int i = 1; i < parts.size(); i++) {
                            total = merge.call(total, parts.get(i)._2());
                        }
                        out.add(new Tuple2<>(e._1(), total));
                    }
                    out.sort((a, b) -> KEY_ORDER.compare(a._1(), b._1()));
                    return out.iterator();
                }, true);
    }

    /**
     * The sum of a double column as a double that does not depend on the order Spark adds the
     * rows in: each value rounded to 18 decimal places (a decimal of 38 digits), the decimals
     * added exactly, the total rounded to a double. When a value has no such decimal (NaN,
     * infinite, beyond 10^20) the sum is Spark's own, NaN or infinite as before.
     */
    public static Column exactSum(Column values) {
        Column exact = values.try_cast(EXACT);
        return when(count(values).equalTo(count(exact)), sum(exact).cast("double")).otherwise(sum(values));
    }

    /**
     * The parts of an {@link #exactSum} of {@code values} per group, to be summed again over
     * coarser groups by {@link #exactSumOfParts}: named {@code name} (the exact decimal sum, not
     * yet rounded to a double), {@code name_values} and {@code name_exact} (the counts of values
     * and of those with a decimal) and {@code name_double} (Spark's double sum, for the fallback).
     * Aggregating the rows first and the parts after gives the same bits as one {@code exactSum}
     * over the rows: decimal sums are exact, so the grouping does not change the total, and the
     * total is rounded to a double once, at the end. Only the fallback's double sum is added in a
     * different order: it still gives NaN or an infinity when a value is NaN or infinite.
     */
    public static List<Column> exactSumParts(Column values, String name) {
        Column exact = values.try_cast(EXACT);
        return List.of(sum(exact).as(name), count(values).as(name + "_values"), count(exact).as(name + "_exact"),
                sum(values).as(name + "_double"));
    }

    /** The {@link #exactSum} of the values whose {@link #exactSumParts} named {@code name} are summed here. */
    public static Column exactSumOfParts(String name) {
        return when(sum(col(name + "_values")).equalTo(sum(col(name + "_exact"))), sum(col(name)).cast("double"))
                .otherwise(sum(col(name + "_double")));
    }

    /** The mean of a double column from its {@link #exactSum} (Spark's own for NaN or infinite values). */
    public static Column exactMean(Column values) {
        Column exact = values.try_cast(EXACT);
        return when(count(values).equalTo(count(exact)),
                sum(exact).cast("double").divide(count(values).cast("double"))).otherwise(avg(values));
    }

    /** The decimal type of exact sums: 38 digits, 18 after the point, so totals up to 10^20. */
    public static final String EXACT = "decimal(38,18)";

    /**
     * A total order of keys: comparable keys of one class by their own order, otherwise by class
     * name, then by text.
     */
    public static final Comparator<Object> KEY_ORDER = (Comparator<Object> & Serializable) Deterministic::compareKeys;

    /**
     * The order of rows sorted by value: row {@code i}'s {@code width} values {@code x[i*width ..]},
     * then {@code y[i]}, then its key ({@link #KEY_ORDER}; {@code keys} may be null). A fit that
     * reads its rows in this order does not depend on how Spark partitioned them, and rows that
     * arrive ascending (a polynomial's x, as NIST's files) keep their order.
     */
    public static Integer[] valueOrder(int n, double[] x, int width, double[] y, Object[] keys) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int ia = a * width;
            int ib = b * width;
            for (int j = 0; j < width; j++) {
                int c = Double.compare(x[ia + j], x[ib + j]);
                if (c != 0) {
                    return c;
                }
            }
            int c = Double.compare(y[a], y[b]);
            return c != 0 || keys == null ? c : KEY_ORDER.compare(keys[a], keys[b]);
        });
        return order;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a == null || b == null) {
            return a == null ? -1 : 1;
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        int byClass = a.getClass().getName().compareTo(b.getClass().getName());
        return byClass != 0 ? byClass : a.toString().compareTo(b.toString());
    }

    private static Column[] columns(Dataset<Row> rows) {
        String[] names = rows.columns();
        Column[] all = new Column[names.length];
        for (int i = 0; i < names.length; i++) {
            all[i] = col(ColumnNames.quote(names[i]));
        }
        return all;
    }
}
