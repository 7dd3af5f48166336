package dev.empathy.jobs.repeat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
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
 *
 * <p>With {@code withControls}, also {@code control_<W>d}: the same flag for the control window
 * {@code (started_at_i + 4W days, started_at_i + 5W days]}, null when that window reaches past
 * the end of the data or past the customer's {@code churned_at} (the input needs that column).
 * Far from the contact, the control window sees only the customer's background contacts, which
 * {@link FollowUpOddsRatio} uses to correct the repeat rate.
 */
public final class RepeatFlags {

    static final long DAY_MICROS = 86_400_000_000L;

    private RepeatFlags() {
    }

    public static String column(int days) {
        return "repeat_" + days + "d";
    }

    public static String controlColumn(int days) {
        return "control_" + days + "d";
    }

    /** The control window starts this many windows after the contact. */
    public static final int CONTROL_OFFSET = 4;

    public static Dataset<Row> add(Dataset<Row> interactions, List<Integer> windows) {
        return add(interactions, windows, false);
    }

    public static Dataset<Row> add(Dataset<Row> interactions, List<Integer> windows, boolean withControls) {
        Dataset<Row> d = interactions.withColumn("__t", unix_micros(col("started_at")));
        Row latest = d.agg(max(col("__t"))).first();
        // No interactions: no rows to flag, and any end will do.
        long last = latest.isNullAt(0) ? 0 : latest.getLong(0);
        for (int w : windows) {
            d = d.withColumn(column(w), flag(0, w * DAY_MICROS, lit(last)));
            if (withControls) {
                long from = CONTROL_OFFSET * w * DAY_MICROS;
                Column end = when(col("churned_at").isNull(), lit(last))
                        .otherwise(functions.least(lit(last), unix_micros(col("churned_at"))));
                d = d.withColumn(controlColumn(w), flag(from, from + w * DAY_MICROS, end));
            }
        }
        return d.drop("__t");
    }

    /**
     * The same repeat flag without censoring, for a look back over contacts that happened (the
     * {@code watchlist}): adds {@code column}, 1 when the customer has another interaction of
     * {@code interactions} with {@code started_at} in {@code (started_at_i, started_at_i + days]},
     * else 0. Only the rows given count: filter them first to the period looked at.
     */
    public static Dataset<Row> addObserved(Dataset<Row> interactions, int days, String column) {
        WindowSpec ahead = Window.partitionBy(col("customer_id")).orderBy(col("__t"))
                .rangeBetween(1, days * DAY_MICROS);
        return interactions.withColumn("__t", unix_micros(col("started_at")))
                .withColumn(column, when(count(lit(1)).over(ahead).gt(0), 1).otherwise(0))
                .drop("__t");
    }

    /** 1 when the customer has a contact in (t + from, t + to], 0 when not, null when t + to is past {@code end}. */
    private static Column flag(long from, long to, Column end) {
        WindowSpec ahead = Window.partitionBy(col("customer_id")).orderBy(col("__t")).rangeBetween(from + 1, to);
        return when(col("__t").plus(lit(to)).gt(end), lit(null).cast("int"))
                .otherwise(when(count(lit(1)).over(ahead).gt(0), 1).otherwise(0));
    }
}
