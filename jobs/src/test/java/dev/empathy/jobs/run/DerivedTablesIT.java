package dev.empathy.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerivedTablesIT {

    @TempDir
    Path dir;

    private static Dataset<Row> numbers(SparkSession spark, AtomicInteger calls) {
        calls.incrementAndGet();
        return spark.range(5).toDF("n").selectExpr("n", "n * n AS square");
    }

    private static List<Long> squares(Dataset<Row> d) {
        return d.orderBy("n").collectAsList().stream().map(r -> r.getLong(1)).toList();
    }

    @Test
    void aTableIsComputedOnceAndReadBackByEveryCaller() {
        SparkSession spark = SharedSpark.session();
        DerivedTables derived = DerivedTables.in(dir.resolve("derived"));
        AtomicInteger calls = new AtomicInteger();
        assertEquals(List.of(0L, 1L, 4L, 9L, 16L), squares(derived.table(spark, "squares", () -> numbers(spark, calls))));
        assertEquals(List.of(0L, 1L, 4L, 9L, 16L), squares(derived.table(spark, "squares", () -> numbers(spark, calls))));
        assertEquals(1, calls.get(), "the second reader reads what the first wrote");
        assertTrue(Files.isDirectory(dir.resolve("derived/squares")));
        derived.table(spark, "other", () -> numbers(spark, calls));
        assertEquals(2, calls.get(), "another name is another table");
    }

    @Test
    void aFailedComputationIsNotRememberedAndNoFolderComputesEveryTime() {
        SparkSession spark = SharedSpark.session();
        DerivedTables derived = DerivedTables.in(dir.resolve("derived"));
        assertThrows(IllegalStateException.class, () -> derived.table(spark, "t", () -> {
            throw new IllegalStateException("no");
        }));
        AtomicInteger calls = new AtomicInteger();
        assertEquals(5, derived.table(spark, "t", () -> numbers(spark, calls)).count());
        assertEquals(1, calls.get());

        DerivedTables none = DerivedTables.none();
        none.table(spark, "t", () -> numbers(spark, calls));
        none.table(spark, "t", () -> numbers(spark, calls));
        assertEquals(3, calls.get());
    }
}
