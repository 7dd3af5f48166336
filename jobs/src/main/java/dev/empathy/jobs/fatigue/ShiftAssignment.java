package dev.empathy.jobs.fatigue;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Which shift each contact belongs to: the shift of its agent whose {@code [start_at, end_at)}
 * holds its {@code started_at} (data contract, shifts).
 *
 * <p><b>Overlapping shifts.</b> When several shifts of the agent hold the contact, it belongs to
 * the one that started last (the agent's most recent assignment), ties broken by the smaller
 * {@code shift_id}; {@code matches} says how many held it. The contacts left without a shift stay
 * in the result with a null {@code shift_id}, so that they are counted, never dropped silently.
 *
 * <p>Two routes give the same rows:
 * <ul>
 * <li><b>Index</b> (when there are at most {@link #indexLimit()} shifts, the usual case: a
 * year of 1,000 agents is some 260,000; 5,000 agents' year, 1.3 million): the shifts are collected to the driver into a
 * {@link ShiftIndex} (per agent, sorted by start), broadcast, and each contact finds its shift
 * by binary search where it lies. The contacts are not shuffled at all. The index costs some
 * 100 bytes a shift on the driver and on each executor.</li>
 * <li><b>Join</b> (more shifts, or a shift with a null field): joining contacts to shifts on the
 * agent alone and filtering by time would multiply every contact by the agent's shifts (some 260
 * a year). Instead each shift is listed once per UTC calendar day it overlaps (an eight-hour
 * shift over midnight twice), each contact carries the day of its {@code started_at}, and the
 * join is on agent and day with the time condition in the join: a contact meets only the one or
 * two shifts of its agent on that day (outer join). The window that picks the shift is
 * partitioned by agent, day and contact, which the join's partitioning by agent and day already
 * satisfies: no second shuffle.</li>
 * </ul>
 */
final class ShiftAssignment {

    static final long DAY_MICROS = 86_400_000_000L;

    private ShiftAssignment() {
    }

    /**
     * The most shifts the index route takes, whatever the heap: four million shifts is some
     * 15,000 agents' year, about 400 MB of index.
     */
    static final int MAX_INDEXED_SHIFTS = 4_000_000;

    /**
     * Driver heap set aside per indexed shift: the collected rows (some 250 bytes a shift, for
     * a moment) and the index itself (some 100), with room for the other job running beside.
     */
    static final long HEAP_PER_INDEXED_SHIFT = 1024;

    /**
     * The most shifts {@link #assign} collects to the driver for the index route; with more it
     * joins: {@link #MAX_INDEXED_SHIFTS}, or fewer when the driver's heap is small (one shift a
     * KiB of {@code -Xmx}: 4 million at 4 GiB, a million at 1 GiB).
     */
    static int indexLimit() {
        return (int) Math.min(MAX_INDEXED_SHIFTS, Runtime.getRuntime().maxMemory() / HEAP_PER_INDEXED_SHIFT);
    }

    /**
     * Every contact with {@code shift_id} (null when no shift holds it), {@code matches} (the
     * shifts that held it) and {@code agent_has_shifts}, after the contacts' own columns.
     *
     * @param contacts {@code interaction_id, agent_id, started_at} and any other columns, kept
     * @param shifts   {@code shift_id, agent_id, start_at, end_at}
     */
    static Dataset<Row> assign(Dataset<Row> contacts, Dataset<Row> shifts) {
        return assign(contacts, shifts, indexLimit());
    }

    /**
     * {@link #assign(Dataset, Dataset)} when the number of shifts is known already (the validated
     * table's ledger): above {@link #indexLimit()} it joins at once, instead of collecting millions
     * of shifts to the driver only to find there are more.
     */
    static Dataset<Row> assignCounted(Dataset<Row> contacts, Dataset<Row> shifts, long shiftCount) {
        int limit = indexLimit();
        return assign(contacts, shifts, shiftCount > limit ? 0 : limit);
    }

    /** {@link #assign(Dataset, Dataset)} with the index route up to {@code maxIndexed} shifts (0: always join). */
    static Dataset<Row> assign(Dataset<Row> contacts, Dataset<Row> shifts, int maxIndexed) {
        ShiftIndex index = maxIndexed > 0 ? index(shifts, maxIndexed) : null;
        return index == null ? byJoin(contacts, shifts) : byIndex(contacts, index);
    }

    /** The shifts' index, or null when there are more than {@code maxIndexed} or one has a null field. */
    static ShiftIndex index(Dataset<Row> shifts, int maxIndexed) {
        List<Row> rows = shifts.select(col("agent_id"), col("shift_id"), unix_micros(col("start_at")),
                unix_micros(col("end_at"))).limit(maxIndexed + 1).collectAsList();
        if (rows.size() > maxIndexed) {
            return null;
        }
        List<ShiftIndex.Shift> list = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (r.anyNull()) {
                return null;
            }
            list.add(new ShiftIndex.Shift(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3)));
        }
        return ShiftIndex.of(list);
    }

    private static final StructType MATCH = new StructType()
            .add("shift_id", DataTypes.StringType, true)
            .add("matches", DataTypes.LongType, false)
            .add("agent_has_shifts", DataTypes.BooleanType, false);

    /** The index route: each contact looks up its shift in the broadcast index, in place. */
    static Dataset<Row> byIndex(Dataset<Row> contacts, ShiftIndex index) {
        Broadcast<ShiftIndex> shared = JavaSparkContext.fromSparkContext(contacts.sparkSession().sparkContext())
                .broadcast(index);
        UserDefinedFunction find = udf((UDF2<String, Long, Row>) (agent, at) -> {
            ShiftIndex.Match m = shared.value().find(agent, at);
            return RowFactory.create(m.shiftId(), m.matches(), m.agentHasShifts());
        }, MATCH);
        String match = "__shift_match";
        List<Column> out = new ArrayList<>();
        for (String c : contacts.columns()) {
            out.add(contacts.col(c));
        }
        for (String f : MATCH.fieldNames()) {
            out.add(col(match).getField(f).as(f));
        }
        return contacts.withColumn(match, find.apply(col("agent_id"), unix_micros(col("started_at"))))
                .select(out.toArray(Column[]::new));
    }

    /** The join route (see the class comment). */
    static Dataset<Row> byJoin(Dataset<Row> contacts, Dataset<Row> shifts) {
        Dataset<Row> days = shifts.select(col("shift_id"), col("agent_id").as("shift_agent"),
                col("start_at").as("shift_start"), col("end_at").as("shift_end"),
                explode(sequence(day(col("start_at")),
                        floor(unix_micros(col("end_at")).minus(1).divide(lit(DAY_MICROS))))).as("shift_day"));
        Dataset<Row> withDay = contacts.withColumn("day", day(col("started_at")));
        Column holds = withDay.col("agent_id").equalTo(days.col("shift_agent"))
                .and(withDay.col("day").equalTo(days.col("shift_day")))
                .and(withDay.col("started_at").geq(days.col("shift_start")))
                .and(withDay.col("started_at").lt(days.col("shift_end")));
        WindowSpec contact = Window.partitionBy(col("agent_id"), col("day"), col("interaction_id"));
        Dataset<Row> agents = shifts.select(col("agent_id").as("known_agent")).distinct()
                .withColumn("agent_has_shifts", lit(true));
        return withDay.join(days, holds, "left")
                .withColumn("matches", count(col("shift_id")).over(contact))
                .withColumn("rank", row_number().over(contact.orderBy(col("shift_start").desc_nulls_last(),
                        col("shift_id").asc_nulls_last())))
                .filter(col("rank").equalTo(1))
                .drop("rank", "day", "shift_agent", "shift_start", "shift_end", "shift_day")
                .join(broadcast(agents), col("agent_id").equalTo(col("known_agent")), "left")
                .withColumn("agent_has_shifts", when(col("agent_has_shifts").isNull(), lit(false))
                        .otherwise(col("agent_has_shifts")))
                .drop("known_agent");
    }

    /** The UTC day number of a timestamp: days since 1970-01-01. */
    static Column day(Column timestamp) {
        return floor(unix_micros(timestamp).divide(lit(DAY_MICROS)));
    }

    /**
     * The counts of one pass over {@link #assign}'s result: {@code interactions},
     * {@code contacts_in_a_shift}, {@code contacts_in_overlapping_shifts} (held by two shifts or
     * more), {@code contacts_outside_every_shift} (their agent has shifts, none holds them) and
     * {@code contacts_of_agents_without_shifts}.
     */
    static Map<String, Long> counts(Dataset<Row> assigned) {
        Row r = assigned.agg(count(lit(1)), count(col("shift_id")),
                sum(when(col("matches").gt(1), 1L).otherwise(0L)),
                sum(when(col("shift_id").isNull().and(col("agent_has_shifts")), 1L).otherwise(0L)),
                sum(when(col("agent_has_shifts").equalTo(false), 1L).otherwise(0L))).first();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("interactions", r.getLong(0));
        m.put("contacts_in_a_shift", r.getLong(1));
        m.put("contacts_in_overlapping_shifts", r.isNullAt(2) ? 0 : r.getLong(2));
        m.put("contacts_outside_every_shift", r.isNullAt(3) ? 0 : r.getLong(3));
        m.put("contacts_of_agents_without_shifts", r.isNullAt(4) ? 0 : r.getLong(4));
        return m;
    }
}
