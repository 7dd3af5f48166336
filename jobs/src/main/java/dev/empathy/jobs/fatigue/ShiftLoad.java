package dev.empathy.jobs.fatigue;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.weekofyear;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import dev.empathy.jobs.spark.Deterministic;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * One row per shift: its contacts and what its customers were like, its emotional load, and the
 * agent's previous shift (by {@code start_at}, then {@code shift_id}, whatever its contacts: a
 * shift without contacts still counts in the sequence). Written as {@code shift_load/}; the
 * columns are {@link #COLUMNS}, described in docs/jobs/fatigue.md.
 *
 * <p><b>Emotional load</b> = minutes spent with hostile customers per hour of shift: the
 * {@code handle_seconds} of the shift's contacts whose conversation has a customer turn coded
 * hostile, over the shift's length. Contacts without a transcript, or without a handle time,
 * add nothing, so on data where few contacts are transcribed the figure is a floor, comparable
 * between shifts with alike coverage ({@code transcribed_contacts} says how many were).
 *
 * <p>The shift's sentiment and handle-time sums are {@link Deterministic#exactSum}s: their bits
 * do not depend on the order Spark meets the shift's contacts in (which follows how the contacts
 * are laid out, and the cores), whole seconds or not.
 */
final class ShiftLoad {

    /** The columns of {@code shift_load/}, in order. */
    static final List<String> COLUMNS = List.of("shift_id", "agent_id", "queue", "high_empathy", "start_at",
            "end_at", "shift_hours", "iso_week", "contacts", "handle_minutes", "contacts_without_handle_time",
            "transcribed_contacts", "clear_turns", "hostile_turns", "hostile_share", "scored_turns", "mean_sentiment",
            "hostile_contacts", "hostile_minutes", "hostile_contacts_without_handle_time", "emotional_load",
            "previous_shift_id", "previous_queue", "previous_high_empathy", "previous_end_at",
            "previous_emotional_load", "rest_hours", "overlaps_previous");

    private static final double MICROS_PER_HOUR = 3.6e9;

    private ShiftLoad() {
    }

    /** Whether a shift's queue is the high-empathy one: trimmed, compared without case; null is not. */
    static Column high(Column queue, String highQueue) {
        return coalesce(lower(trim(queue)).equalTo(lit(highQueue.strip().toLowerCase(java.util.Locale.ROOT))),
                lit(false));
    }

    /**
     * The ISO 8601 week of a timestamp's UTC date, as {@code 2025-W07}: the week number of
     * {@code weekofyear} (weeks start on Monday; week 1 holds the year's first Thursday) with the
     * year of that week's Thursday, so that 2024-12-30 is {@code 2025-W01}.
     */
    static Column isoWeek(Column timestamp) {
        Column date = to_date(timestamp);
        // dayofweek: 1 = Sunday .. 7 = Saturday; days since Monday = (dayofweek + 5) mod 7.
        Column thursday = date_add(date, lit(3).minus(pmod(dayofweek(date).plus(5), lit(7))));
        return format_string("%d-W%02d", year(thursday), weekofyear(date));
    }

    /**
     * @param shifts     the used shifts ({@code shift_id, agent_id, start_at, end_at, queue})
     * @param inShift    the contacts with a shift ({@code shift_id, interaction_id, handle_seconds})
     * @param facts      per conversation {@code interaction_id, scored_turns, mean_sentiment,
     *                   clear_turns, hostile_turns} ({@code ConversationFacts})
     * @param highQueue  the queue name of high-empathy shifts
     */
    static Dataset<Row> build(Dataset<Row> shifts, Dataset<Row> inShift, Dataset<Row> facts, String highQueue) {
        Column hostile = coalesce(col("hostile_turns"), lit(0L)).gt(0);
        Dataset<Row> perShift = inShift.join(facts, "interaction_id", "left")
                .groupBy(col("shift_id")).agg(
                        count(lit(1)).as("contacts"),
                        coalesce(Deterministic.exactSum(col("handle_seconds")), lit(0.0)).divide(60.0).as("handle_minutes"),
                        sum(when(col("handle_seconds").isNull(), 1L).otherwise(0L)).as("contacts_without_handle_time"),
                        count(col("scored_turns")).as("transcribed_contacts"),
                        coalesce(sum(col("clear_turns")), lit(0L)).as("clear_turns"),
                        coalesce(sum(col("hostile_turns")), lit(0L)).as("hostile_turns"),
                        coalesce(sum(col("scored_turns")), lit(0L)).as("scored_turns"),
                        Deterministic.exactSum(col("mean_sentiment").multiply(col("scored_turns"))).as("sentiment_sum"),
                        sum(when(hostile, 1L).otherwise(0L)).as("hostile_contacts"),
                        coalesce(Deterministic.exactSum(when(hostile, col("handle_seconds"))), lit(0.0)).divide(60.0).as("hostile_minutes"),
                        sum(when(hostile.and(col("handle_seconds").isNull()), 1L).otherwise(0L))
                                .as("hostile_contacts_without_handle_time"));
        Column hours = unix_micros(col("end_at")).minus(unix_micros(col("start_at"))).divide(MICROS_PER_HOUR);
        Dataset<Row> loaded = shifts.select(col("shift_id"), col("agent_id"), col("queue"),
                        high(col("queue"), highQueue).as("high_empathy"), col("start_at"), col("end_at"),
                        hours.as("shift_hours"), isoWeek(col("start_at")).as("iso_week"))
                .join(perShift, "shift_id", "left");
        for (String zero : List.of("contacts", "contacts_without_handle_time", "transcribed_contacts", "clear_turns",
                "hostile_turns", "scored_turns", "hostile_contacts", "hostile_contacts_without_handle_time")) {
            loaded = loaded.withColumn(zero, coalesce(col(zero), lit(0L)));
        }
        loaded = loaded.withColumn("handle_minutes", coalesce(col("handle_minutes"), lit(0.0)))
                .withColumn("hostile_minutes", coalesce(col("hostile_minutes"), lit(0.0)))
                .withColumn("hostile_share", when(col("clear_turns").gt(0),
                        col("hostile_turns").cast("double").divide(col("clear_turns"))))
                .withColumn("mean_sentiment", when(col("scored_turns").gt(0),
                        col("sentiment_sum").divide(col("scored_turns"))))
                .withColumn("emotional_load", col("hostile_minutes").divide(col("shift_hours")));
        WindowSpec sequence = Window.partitionBy(col("agent_id")).orderBy(col("start_at"), col("shift_id"));
        return loaded
                .withColumn("previous_shift_id", lag(col("shift_id"), 1).over(sequence))
                .withColumn("previous_queue", lag(col("queue"), 1).over(sequence))
                .withColumn("previous_high_empathy", lag(col("high_empathy"), 1).over(sequence))
                .withColumn("previous_end_at", lag(col("end_at"), 1).over(sequence))
                .withColumn("previous_emotional_load", lag(col("emotional_load"), 1).over(sequence))
                .withColumn("rest_hours", unix_micros(col("start_at")).minus(unix_micros(col("previous_end_at")))
                        .divide(MICROS_PER_HOUR))
                .withColumn("overlaps_previous", col("start_at").lt(col("previous_end_at")))
                .select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    }
}
