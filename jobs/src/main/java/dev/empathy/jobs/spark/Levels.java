package dev.empathy.jobs.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rare levels of a categorical column lumped into {@code other}, so that a column with thousands
 * of levels (a free-text contact reason) cannot blow a model up to thousands of coefficients: a
 * level is kept when it is among the {@link #MAX_LEVELS} most frequent and has at least
 * {@link #MIN_COUNT} rows; every other level becomes {@value #OTHER}.
 */
public final class Levels {

    /** Most levels a categorical control keeps. */
    public static final int MAX_LEVELS = 200;

    /** Fewest rows a kept level has. */
    public static final long MIN_COUNT = 20;

    public static final String OTHER = "other";

    /** The levels kept and how many were lumped. */
    public record Lumped(List<String> kept, long lumpedLevels) {

        /** The column with every level not kept replaced by {@value #OTHER} (nulls stay null). */
        public Column apply(Column column) {
            if (lumpedLevels == 0) {
                return column;
            }
            return when(column.isNull(), column).when(column.isin(kept.toArray()), column).otherwise(lit(OTHER));
        }
    }

    private Levels() {
    }

    /** Counts the levels of {@code column} in {@code rows} (one aggregation) and decides which to keep. */
    public static Lumped of(Dataset<Row> rows, String column) {
        List<String> kept = new ArrayList<>();
        long levels = 0;
        for (Row r : rows.filter(col(column).isNotNull()).groupBy(col(column)).agg(count(lit(1)).as("n"))
                .orderBy(col("n").desc(), col(column)).collectAsList()) {
            levels++;
            if (kept.size() < MAX_LEVELS && r.getLong(1) >= MIN_COUNT) {
                kept.add(r.getString(0));
            }
        }
        return new Lumped(List.copyOf(kept), levels - kept.size());
    }
}
