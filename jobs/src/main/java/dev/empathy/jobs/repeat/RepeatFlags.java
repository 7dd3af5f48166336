package dev.empathy.jobs.repeat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The repeat-contact definition, in one sort per customer: interaction {@code i} has a repeat
 * within {@code W} days when the same customer has another interaction {@code j} with
 * {@code started_at} in {@code (started_at_i, started_at_i + W days]}; in SQL,
 * <pre>
 * count(*) over (partition by customer_id order by unix_micros(started_at)
 *                range between 1 following and W * 86400000000 following) &gt; 0
 * </pre>
 * An interaction whose window reaches past the last {@code started_at} of the data
 * ({@code started_at_i + W days > max(started_at)}) is censored: it gets no flag.
 * Adds {@code repeat_<W>d} (1, 0, or null when censored) for each window.
 */
public final class RepeatFlags {

    static final long DAY_MICROS = 86_400_000_000L;

    private RepeatFlags() {
    }

    public static String column(int days) {
        return "repeat_" + days + "d";
    }

    public static Dataset<Row> add(Dataset<Row> interactions, List<Integer> windows) {
        Dataset<Row> d = interactions.withColumn("__t", unix_micros(col("started_at")));
        long last = d.agg(max(col("__t"))).first().getLong(0);
        for (int w : windows) {
            WindowSpec ahead = Window.partitionBy(col("customer_id")).orderBy(col("__t"))
                    .rangeBetween(1, w * DAY_MICROS);
            d = d.withColumn(column(w), when(col("__t").plus(lit(w * DAY_MICROS)).gt(lit(last)), lit(null).cast("int"))
                    .otherwise(when(count(lit(1)).over(ahead).gt(0), 1).otherwise(0)));
        }
        return d.drop("__t");
    }
}
