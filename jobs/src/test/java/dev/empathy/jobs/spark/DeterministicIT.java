package dev.empathy.jobs.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.empathy.jobs.SharedSpark;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * Sums that give the same bits whatever the input's partitioning and row order: the same rows,
 * shuffled differently and spread over 3 or 7 partitions, through {@link Deterministic}. The
 * data are chosen so that the order matters (their plain sums in the two orders differ, checked),
 * and the exact sums are compared with BigDecimal sums computed here.
 */
class DeterministicIT {

    static final StructType SCHEMA = new StructType().add("k", DataTypes.StringType).add("x", DataTypes.DoubleType)
            .add("y", DataTypes.DoubleType);

    /** 3,000 rows over 7 keys; x over 16 orders of magnitude, so that sums depend on their order. */
    static List<Row> rows() {
        Random r = new Random(20261128);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            double x = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(17) - 8);
            rows.add(RowFactory.create("k" + (i % 7), x, x + r.nextGaussian()));
        }
        return rows;
    }

    static Dataset<Row> layout(SparkSession spark, long seed, int partitions) {
        List<Row> rows = new ArrayList<>(rows());
        Collections.shuffle(rows, new Random(seed));
        return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
    }

    static double plainSum(long seed) {
        List<Row> rows = new ArrayList<>(rows());
        Collections.shuffle(rows, new Random(seed));
        double s = 0;
        for (Row row : rows) {
            s += row.getDouble(1);
        }
        return s;
    }

    /** Per key, the sum of x: partition sums by key, merged by {@link Deterministic#reduceByKey}. */
    static Map<String, Double> keyedSums(Dataset<Row> data) {
        Map<String, Double> out = new TreeMap<>();
        Deterministic.reduceByKey(Deterministic.rows(data).javaRDD().mapPartitionsToPair((Iterator<Row> it) -> {
            Map<String, Double> local = new HashMap<>();
            while (it.hasNext()) {
                Row row = it.next();
                local.merge(row.getString(0), row.getDouble(1), Double::sum);
            }
            List<Tuple2<String, Double>> pairs = new ArrayList<>();
            local.forEach((k, v) -> pairs.add(new Tuple2<>(k, v)));
            return pairs.iterator();
        }), Double::sum, 5).collect().forEach(t -> out.put(t._1(), t._2()));
        return out;
    }

    /** The sum of x: partition sums collected and added in partition order. */
    static double total(Dataset<Row> data) {
        double s = 0;
        for (double part : Deterministic.rows(data).javaRDD().mapPartitions((Iterator<Row> it) -> {
            double p = 0;
            while (it.hasNext()) {
                p += it.next().getDouble(1);
            }
            return List.of(p).iterator();
        }).collect()) {
            s += part;
        }
        return s;
    }

    @Test
    void theOrderOfTheseRowsChangesTheirPlainSum() {
        assertNotEquals(plainSum(1), plainSum(2));
    }

    @Test
    void partitionSumsAndKeyedSumsHaveTheSameBitsForAnyLayout() {
        SparkSession spark = SharedSpark.session();
        Dataset<Row> a = layout(spark, 1, 3);
        Dataset<Row> b = layout(spark, 2, 7);
        assertEquals(Double.doubleToRawLongBits(total(a)), Double.doubleToRawLongBits(total(b)));
        Map<String, Double> byKeyA = keyedSums(a);
        Map<String, Double> byKeyB = keyedSums(b);
        assertEquals(7, byKeyA.size());
        byKeyA.forEach((k, v) -> assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(byKeyB.get(k)), k));
        // And they are sums: within rounding of the exact sum (BigDecimal here).
        BigDecimal exact = BigDecimal.ZERO;
        for (Row row : rows()) {
            exact = exact.add(new BigDecimal(row.getDouble(1)));
        }
        assertEquals(exact.doubleValue(), total(a), 1e-9 * Math.abs(exact.doubleValue()) + 1e-6);
    }

    @Test
    void aggregatesByKeysHaveTheSameBitsForAnyLayout() {
        SparkSession spark = SharedSpark.session();
        Map<String, Long> first = new TreeMap<>();
        for (long seed : new long[] {1, 2}) {
            Dataset<Row> d = layout(spark, seed, seed == 1 ? 3 : 7);
            for (Row r : Deterministic.byKeys(d, col("k")).groupBy(col("k")).agg(corr(col("x"), col("y")))
                    .collectAsList()) {
                long bits = Double.doubleToRawLongBits(r.getDouble(1));
                if (seed == 1) {
                    first.put(r.getString(0), bits);
                } else {
                    assertEquals(first.get(r.getString(0)), bits, r.getString(0));
                }
            }
        }
        assertEquals(7, first.size());
    }

    /**
     * The exact sum and mean: values that are multiples of 10^-6 have exact decimals, so the sum is
     * their BigDecimal sum rounded once to a double, in any order.
     */
    @Test
    void exactSumIsTheDecimalSumRoundedOnce() {
        SparkSession spark = SharedSpark.session();
        Random r = new Random(7);
        List<Row> rows = new ArrayList<>();
        BigDecimal exact = BigDecimal.ZERO;
        for (int i = 0; i < 2000; i++) {
            double x = (r.nextInt(2_000_001) - 1_000_000) / 1e6 * Math.pow(10, r.nextInt(9));
            rows.add(RowFactory.create("k", x, 0.0));
            exact = exact.add(BigDecimal.valueOf(x));
        }
        double expectedSum = exact.doubleValue();
        double expectedMean = exact.doubleValue() / rows.size();
        for (int partitions : new int[] {1, 4, 9}) {
            Collections.shuffle(rows, new Random(partitions));
            Row got = spark.createDataFrame(rows, SCHEMA).repartition(partitions)
                    .agg(Deterministic.exactSum(col("x")), Deterministic.exactMean(col("x"))).first();
            assertEquals(expectedSum, got.getDouble(0), 0.0);
            assertEquals(expectedMean, got.getDouble(1), 0.0);
        }
    }

    /**
     * Parts summed per key and a sub-key, then summed again per key ({@link Deterministic#exactSumParts},
     * {@link Deterministic#exactSumOfParts}), give the bits of one {@link Deterministic#exactSum} per
     * key over the rows, in any layout; and with a NaN among a key's values, NaN as well.
     */
    @Test
    void exactSumOfPartsHasTheBitsOfOneExactSum() {
        SparkSession spark = SharedSpark.session();
        for (boolean withNan : new boolean[] {false, true}) {
            List<Row> rows = new ArrayList<>(rows());
            if (withNan) {
                rows.add(RowFactory.create("k3", Double.NaN, 0.0));
            }
            Dataset<Row> data = spark.createDataFrame(rows, SCHEMA);
            Map<String, Long> once = new TreeMap<>();
            data.groupBy(col("k")).agg(Deterministic.exactSum(col("x"))).collectAsList()
                    .forEach(r -> once.put(r.getString(0), Double.doubleToLongBits(r.getDouble(1))));
            for (int partitions : new int[] {1, 3, 7}) {
                List<Row> shuffled = new ArrayList<>(rows);
                Collections.shuffle(shuffled, new Random(partitions));
                List<Column> parts = Deterministic.exactSumParts(col("x"), "x");
                Dataset<Row> partial = spark.createDataFrame(shuffled, SCHEMA).repartition(partitions)
                        .groupBy(col("k"), functions.signum(col("y")).as("sign"))
                        .agg(parts.get(0), parts.subList(1, parts.size()).toArray(Column[]::new));
                Map<String, Long> twice = new TreeMap<>();
                partial.groupBy(col("k")).agg(Deterministic.exactSumOfParts("x")).collectAsList()
                        .forEach(r -> twice.put(r.getString(0), Double.doubleToLongBits(r.getDouble(1))));
                assertEquals(once, twice, "partitions " + partitions + ", NaN " + withNan);
            }
            assertEquals(withNan, Double.isNaN(Double.longBitsToDouble(once.get("k3"))));
        }
    }

    /** A NaN gives what Spark's own sum and mean give: NaN. */
    @Test
    void exactSumOfANanIsNan() {
        SparkSession spark = SharedSpark.session();
        Row got = spark.createDataFrame(List.of(RowFactory.create("k", 1.0, 0.0), RowFactory.create("k", Double.NaN,
                0.0)), SCHEMA).agg(Deterministic.exactSum(col("x")), Deterministic.exactMean(col("x"))).first();
        assertEquals(Double.NaN, got.getDouble(0));
        assertEquals(Double.NaN, got.getDouble(1));
    }
}
