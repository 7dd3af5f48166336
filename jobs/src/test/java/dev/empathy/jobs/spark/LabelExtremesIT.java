package dev.empathy.jobs.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The first and last label by an ordering, aggregated by the label's position: the same rows as
 * Spark's own {@code min_by} and {@code max_by} over the text, with a hash aggregation in the plan
 * where Spark's own over text sorts.
 */
class LabelExtremesIT {

    static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType)
            .add("turn", DataTypes.IntegerType).add("code", DataTypes.StringType);
    static final List<String> TONES = List.of("hostile", "neutral", "cooperative");

    private static Dataset<Row> turns(Row... rows) {
        return SharedSpark.session().createDataFrame(Arrays.asList(rows), SCHEMA);
    }

    private static Column clearOrder() {
        return when(col("code").isin(TONES.toArray()), col("turn"));
    }

    private static List<String> rows(Dataset<Row> d) {
        List<String> out = new ArrayList<>();
        for (Row r : d.orderBy(col("id")).collectAsList()) {
            out.add(r.mkString("|"));
        }
        return out;
    }

    @Test
    void givesWhatSparksOwnGivesAndAggregatesByHash() {
        Dataset<Row> turns = turns(
                // a: first clear turn 2 (neutral), last 7 (hostile); the unclear and uncoded turns are skipped
                RowFactory.create("a", 1, "question"), RowFactory.create("a", 7, "hostile"),
                RowFactory.create("a", 2, "neutral"), RowFactory.create("a", 9, null),
                RowFactory.create("a", 5, "cooperative"),
                // b: one clear turn is both ends
                RowFactory.create("b", 3, "cooperative"), RowFactory.create("b", 1, "other"),
                // c: no clear turn: both null
                RowFactory.create("c", 1, "other"), RowFactory.create("c", 2, null));
        Dataset<Row> ours = turns.groupBy(col("id")).agg(
                LabelExtremes.minBy(col("code"), TONES, clearOrder()).as("first"),
                LabelExtremes.maxBy(col("code"), TONES, clearOrder()).as("last"));
        Dataset<Row> sparks = turns.groupBy(col("id")).agg(min_by(col("code"), clearOrder()).as("first"),
                max_by(col("code"), clearOrder()).as("last"));

        List<String> expected = List.of("a|neutral|hostile", "b|cooperative|cooperative", "c|null|null");
        assertEquals(expected, rows(sparks), "Spark's own, the reference");
        assertEquals(expected, rows(ours));
        assertEquals("string", ours.schema().apply("first").dataType().typeName());

        String plan = ours.queryExecution().executedPlan().toString();
        assertTrue(plan.contains("HashAggregate"), plan);
        assertFalse(plan.contains("SortAggregate"), plan);
        // What the change avoids: Spark's own over text sorts (should a Spark version aggregate
        // text by hash, this fails, and LabelExtremes is no longer needed).
        assertTrue(sparks.queryExecution().executedPlan().toString().contains("SortAggregate"));
    }

    @Test
    void aLabelOutsideTheListOrNullOnAnOrderedRowFailsRatherThanGivingAWrongAnswer() {
        for (String outside : Arrays.asList("sarcastic", null)) {
            Dataset<Row> turns = turns(RowFactory.create("a", 1, "hostile"), RowFactory.create("a", 2, outside));
            Dataset<Row> ours = turns.groupBy(col("id")).agg(
                    LabelExtremes.minBy(col("code"), TONES, col("turn")).as("first"));
            Exception e = assertThrows(Exception.class, ours::collectAsList, String.valueOf(outside));
            assertTrue(String.valueOf(e.getMessage()).contains("a label outside [hostile, neutral, cooperative]")
                    || String.valueOf(e.getCause()).contains("a label outside [hostile, neutral, cooperative]"),
                    String.valueOf(e));
        }
    }
}
