package dev.empathy.jobs.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.repeat;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Persisted Datasets through the row cache, in the shared session as every job's: the rows of
 * every column type come back as written, whole, as a subset in another order, filtered, from
 * disk, and across many batches.
 */
class RowCacheIT {

    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("n", DataTypes.IntegerType)
            .add("big", DataTypes.LongType)
            .add("x", DataTypes.DoubleType)
            .add("flag", DataTypes.BooleanType)
            .add("money", DataTypes.createDecimalType(38, 10))
            .add("day", DataTypes.DateType)
            .add("at", DataTypes.TimestampType)
            .add("words", DataTypes.createArrayType(DataTypes.StringType))
            .add("counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType))
            .add("pair", new StructType().add("a", DataTypes.StringType).add("b", DataTypes.DoubleType));

    private static Dataset<Row> table() {
        List<Row> rows = List.of(
                RowFactory.create("a", 1, 1L << 40, 0.25, true, new BigDecimal("12345678901234567890.0123456789"),
                        Date.valueOf("2026-01-31"), Timestamp.valueOf("2026-01-31 23:59:59.123456"),
                        CollectionConverters.asScala(List.of("hello", "wörld")).toSeq(),
                        CollectionConverters.asScala(Map.of("k", 3)),
                        RowFactory.create("inner", -0.0)),
                RowFactory.create("b", null, null, Double.NaN, false, null, null, null, null, null, null),
                RowFactory.create("", -7, Long.MIN_VALUE, -1e300, null, new BigDecimal("-0.0000000001"),
                        Date.valueOf("1970-01-01"), Timestamp.valueOf("1999-12-31 00:00:00"),
                        CollectionConverters.asScala(Arrays.asList("x", null)).toSeq(),
                        CollectionConverters.asScala(Map.of()),
                        RowFactory.create(null, 2.5)));
        return SharedSpark.session().createDataFrame(rows, SCHEMA).repartition(2);
    }

    private static List<String> sorted(Dataset<Row> d) {
        List<String> out = new ArrayList<>();
        for (Row r : d.collectAsList()) {
            out.add(r.toString());
        }
        out.sort(null);
        return out;
    }

    @Test
    void theToolkitsSessionsHoldPersistedRowsInTheRowCache() {
        SparkSession spark = SharedSpark.session();
        assertEquals(RowCache.class.getName(), spark.conf().get("spark.sql.cache.serializer"));
        Dataset<Row> cached = table().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            cached.count();
            String plan = cached.select(col("id")).queryExecution().executedPlan().toString();
            assertTrue(plan.contains("InMemoryTableScan"), plan);
        } finally {
            cached.unpersist();
        }
    }

    @Test
    void everyTypeComesBackWholeAsASubsetFilteredAndFromDisk() {
        // Spark's own reading of the same rows, not persisted, is the reference.
        List<String> expected = sorted(table());
        assertEquals(3, expected.size());
        assertTrue(expected.get(1).startsWith("[a,1,1099511627776,0.25,true,12345678901234567890.0123456789,"
                + "2026-01-31,2026-01-31 23:59:59.123456,"), expected.get(1));
        for (StorageLevel level : List.of(StorageLevel.MEMORY_AND_DISK(), StorageLevel.DISK_ONLY())) {
            Dataset<Row> cached = table().persist(level);
            try {
                assertEquals(expected, sorted(cached), level.description());
                // A subset in another order: the cache projects its rows.
                assertEquals(sorted(table().select(col("pair"), col("x"), col("id"))),
                        sorted(cached.select(col("pair"), col("x"), col("id"))), level.description());
                assertEquals(List.of("[1,a]"), sorted(cached.filter(col("n").gt(0)).select(col("n"), col("id"))));
                assertEquals(List.of("[]", "[a]", "[b]"), sorted(cached.select(col("id"))));
            } finally {
                cached.unpersist();
            }
        }
    }

    @Test
    void manyBatchesHoldEveryRow() {
        // 40,000 rows of 200 bytes with their headers, 8 MB in two partitions: about four batches of 1 MiB each.
        long n = 40_000;
        Dataset<Row> rows = SharedSpark.session().range(0, n, 1, 2)
                .select(col("id"), repeat(lit("é"), 80).as("text"), col("id").multiply(0.5).as("half"));
        Dataset<Row> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row totals = cached.agg(sum(col("id")), sum(col("half")), sum(org.apache.spark.sql.functions.length(
                    col("text")))).first();
            assertEquals(n * (n - 1) / 2, totals.getLong(0));
            assertEquals(n * (n - 1) / 4.0, totals.getDouble(1));
            assertEquals(80 * n, totals.getLong(2));
            assertEquals(n, cached.filter(col("text").equalTo(lit("é".repeat(80)))).count());
        } finally {
            cached.unpersist();
        }
    }
}
